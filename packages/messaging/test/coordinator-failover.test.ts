import type { Consumer, Kafka, Producer } from 'kafkajs';
import { waitForFullIsr } from '@shop/devstack';
import {
  Partitioners,
  createTestTopic,
  eventually,
  testKafka,
  testStack,
  uniqueName,
  withAdmin,
} from '@shop/testkit';
import { patchKafkajsConsumer } from '../src/consumer/kafkajs-patches';

const stack = testStack();
const multiNode = stack.config.kafka.nodes.length === 3;
/** Kafka's default offsets.topic.num.partitions, which the local stack keeps. */
const OFFSETS_PARTITIONS = 50;

/** The partition of __consumer_offsets whose leader coordinates a group: Kafka's own formula. */
function offsetsPartitionOf(groupId: string): number {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(31, hash) + groupId.charCodeAt(i)) | 0;
  return (hash & 0x7fffffff) % OFFSETS_PARTITIONS;
}

(multiNode ? describe : describe.skip)('a consumer whose group coordinator dies', () => {
  let kafka: Kafka;
  let producer: Producer;
  let consumer: Consumer | undefined;
  jest.setTimeout(90_000);
  let victimIndex: number | undefined;

  beforeAll(async () => {
    patchKafkajsConsumer();
    kafka = testKafka();
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 20, maxRetryTime: 1_000 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await producer.disconnect();
    // Leave a healthy cluster for the suites that follow, whatever happened above.
    const victim = victimIndex === undefined ? undefined : stack.kafkaNodes[victimIndex];
    if (victim && victim.pid === undefined) victim.start();
    await waitForFullIsr(stack.config, 120_000);
  });

  it('finds the new coordinator and goes on committing as the same member while the broker is down', async () => {
    const topic = await createTestTopic({ prefix: 'coordinator', partitions: 1 });
    const groupId = uniqueName('coordinator-failover');
    const leaders = await withAdmin(kafka, async (admin) => {
      const { topics } = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
      return new Map(topics[0]!.partitions.map((p) => [p.partitionId, p.leader]));
    });
    const coordinatorId = leaders.get(offsetsPartitionOf(groupId))!;
    victimIndex = stack.kafkaNodes.findIndex((n) => n.node.id === coordinatorId);
    expect(victimIndex).toBeGreaterThanOrEqual(0);

    const members = new Set<string>();
    let applied = 0;
    consumer = kafka.consumer({
      groupId,
      // The kit's consumer settings (packages/messaging/src/settings.ts).
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      metadataMaxAge: 1_000,
      maxWaitTimeInMs: 500,
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => members.add(payload.memberId));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    // As the kit's runner does: resolve, commit the applied offset, heartbeat after each record.
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
        for (const message of batch.messages) {
          resolveOffset(message.offset);
          applied++;
          await commitOffsetsIfNecessary({
            topics: [
              {
                topic,
                partitions: [
                  { partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() },
                ],
              },
            ],
          });
          await heartbeat();
        }
      },
    });
    const send = (value: string) => producer.send({ topic, acks: -1, messages: [{ value }] });
    await send('before');
    await eventually(async () => (await committed()) >= 1, 30_000, 'the first record committed');
    expect(members.size).toBe(1);

    stack.kafkaNodes[victimIndex]!.kill();
    const killedAt = Date.now();
    // Records keep coming while the coordinator's broker stays dead; each must be applied and
    // committed long before it returns (without the fail-over, not until it is back).
    for (let i = 0; i < 10; i++) await send(`during-${i}`);
    await eventually(
      async () => (await committed()) >= 11,
      15_000,
      'the records sent while the coordinator was dead committed',
    );
    console.info(
      `committed again ${Date.now() - killedAt} ms after the coordinator's broker was killed`,
    );
    expect(stack.kafkaNodes[victimIndex]!.pid).toBeUndefined();
    expect(applied).toBeGreaterThanOrEqual(11);
    // The same member all along (kafkajs rejoins under its member id when a fetch meets a moved
    // leader): a new member would have waited out the old one's session.
    expect(members.size).toBe(1);

    // Stopped while kafkajs rebuilds its fetchers for the changed broker set, kafkajs 2.2.4's
    // fetchers spun without yielding and starved the event loop: no timer fired again.
    const stopping = consumer.disconnect();
    const timerFiredAfterMs = await new Promise<number>((resolve) => {
      const began = Date.now();
      setTimeout(() => resolve(Date.now() - began), 10);
    });
    await stopping;
    consumer = undefined;
    expect(timerFiredAfterMs).toBeLessThan(2_000);

    async function committed(): Promise<number> {
      return withAdmin(kafka, async (admin) => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return Number(offsets?.partitions[0]?.offset ?? -1);
      }).catch(() => -1);
    }
  });
});
