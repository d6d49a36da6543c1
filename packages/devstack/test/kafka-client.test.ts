import type { Consumer, Kafka } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { createTestTopic, eventually, testKafka, testStack, uniqueName } from '@shop/testkit';

/** The kafkajs features the design relies on, proven against the KRaft cluster. */
describe('kafkajs 2.2.4 against Kafka 4.3 in KRaft mode', () => {
  let kafka: Kafka;
  const toDisconnect: Array<{ disconnect(): Promise<void> }> = [];

  beforeAll(() => {
    kafka = testKafka();
  });

  afterAll(async () => {
    for (const client of toDisconnect.reverse()) await client.disconnect().catch(() => undefined);
  });

  it('reads cluster metadata with every broker and the controller', async () => {
    const admin = kafka.admin();
    toDisconnect.push(admin);
    await admin.connect();
    const cluster = await admin.describeCluster();
    const nodes = testStack().config.kafka.nodes;
    expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(cluster.controller).not.toBeNull();
  });

  it('rebalances partitions between the members of a group', async () => {
    const topic = await createTestTopic({ prefix: 'rebalance', partitions: 4 });
    const groupId = uniqueName('rebalance-group');
    const assignments = new Map<string, number[]>();

    const start = async (name: string): Promise<Consumer> => {
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      });
      toDisconnect.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assignments.set(name, payload.memberAssignment[topic] ?? []);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      return consumer;
    };

    const a = await start('a');
    await eventually(
      () => (assignments.get('a') ?? []).length === 4,
      30_000,
      'a to own 4 partitions',
    );
    await start('b');
    await eventually(
      () => (assignments.get('a') ?? []).length === 2 && (assignments.get('b') ?? []).length === 2,
      60_000,
      'a 2/2 split',
    );
    await a.disconnect();
    await eventually(() => (assignments.get('b') ?? []).length === 4, 60_000, 'b to take over');
  });

  it('commits a transaction for read_committed readers and hides an aborted one', async () => {
    const topic = await createTestTopic({ prefix: 'txn', partitions: 1 });
    const producer = kafka.producer({
      transactionalId: uniqueName('txn-producer'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    toDisconnect.push(producer);
    await producer.connect();

    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ key: 'k', value: 'aborted' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ key: 'k', value: 'committed' }] });
    await committed.commit();

    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('txn-reader'), readUncommitted: false });
    toDisconnect.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push(message.value!.toString()),
    });
    await eventually(() => seen.length >= 1, 30_000, 'the committed record');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(seen).toEqual(['committed']);
  });
});
