import type { Consumer, Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import {
  createTestTopic,
  eventually,
  testKafka,
  testStack,
  uniqueName,
  withAdmin,
} from '@shop/testkit';

const RECORDS = 1_000;
const KEYS = 25;

describe('a keyed topic with RF 3 on the real cluster', () => {
  let kafka: Kafka;
  let producer: Producer;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect()));
    await producer.disconnect();
  });

  async function consume(
    topic: string,
    groupId: string,
    seen: Array<{ key: string; value: string; partition: number; offset: string }>,
  ): Promise<Consumer> {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        seen.push({
          key: message.key!.toString(),
          value: message.value!.toString(),
          partition,
          offset: message.offset,
        });
      },
    });
    return consumer;
  }

  it('delivers 1,000 acks=all records in per-key order and does not redeliver after a committed restart', async () => {
    const topic = await createTestTopic({ prefix: 'roundtrip' });
    // Replicated on every broker (3 with the default stack), all in sync before we write.
    const replicas = testStack().config.kafka.nodes.length;
    const metadata = await withAdmin(kafka, (admin) =>
      admin.fetchTopicMetadata({ topics: [topic] }),
    );
    for (const p of metadata.topics[0]!.partitions) {
      expect(p.replicas).toHaveLength(replicas);
      expect(p.isr).toHaveLength(replicas);
    }
    const sent: string[] = [];
    for (let batch = 0; batch < RECORDS / 100; batch++) {
      const messages = Array.from({ length: 100 }, (_, j) => {
        const i = batch * 100 + j;
        const value = `key-${i % KEYS}:${i}`;
        sent.push(value);
        return { key: `key-${i % KEYS}`, value };
      });
      const acks = await producer.send({ topic, acks: -1, messages });
      expect(acks.every((m) => m.errorCode === 0)).toBe(true);
    }

    const groupId = uniqueName('roundtrip-group');
    const seen: Array<{ key: string; value: string; partition: number; offset: string }> = [];
    const first = await consume(topic, groupId, seen);
    // At least once: a rebalance before the first commit may hand a batch over twice.
    const firsts = () => [...new Map(seen.map((s) => [s.value, s])).values()];
    await eventually(() => firsts().length >= RECORDS, 60_000, `${RECORDS} records`);

    expect(
      firsts()
        .map((s) => s.value)
        .sort(),
    ).toEqual([...sent].sort());
    for (let k = 0; k < KEYS; k++) {
      const sequence = firsts()
        .filter((s) => s.key === `key-${k}`)
        .map((s) => Number(s.value.split(':')[1]));
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(new Set(seen.filter((s) => s.key === `key-${k}`).map((s) => s.partition)).size).toBe(
        1,
      );
    }

    const next = new Map<number, bigint>();
    for (const s of seen) {
      const after = BigInt(s.offset) + 1n;
      if (after > (next.get(s.partition) ?? 0n)) next.set(s.partition, after);
    }
    await first.commitOffsets(
      [...next].map(([partition, offset]) => ({ topic, partition, offset: offset.toString() })),
    );
    await first.disconnect();

    // A sentinel produced after the restart must be the first and only record the group sees.
    const afterRestart: typeof seen = [];
    await consume(topic, groupId, afterRestart);
    await producer.send({ topic, acks: -1, messages: [{ key: 'sentinel', value: 'sentinel' }] });
    await eventually(() => afterRestart.length >= 1, 60_000, 'the sentinel');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(afterRestart.map((s) => s.value)).toEqual(['sentinel']);
  });
});
