import type { Envelope } from '@shop/contracts';
import type { EventHandlers, MessageConsumer } from '@shop/messaging';
import { eventually, uniqueName, withAdmin } from '@shop/testkit';
import { KitHarness, orderCreated } from './support/kit-harness';

const handlers: EventHandlers = { OrderCreated: async () => undefined };

/** Starts a consumer and resolves once it has joined its group. */
async function joined(consumer: MessageConsumer): Promise<MessageConsumer> {
  const join = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  await consumer.start();
  await join;
  return consumer;
}

/** Whether the group's committed offset of every partition is its end: nothing left to read again. */
async function committedToTheEnd(kit: KitHarness): Promise<boolean> {
  return withAdmin(kit.kafka, async (admin) => {
    const ends = await admin.fetchTopicOffsets(kit.topic);
    const [committed] = await admin.fetchOffsets({
      groupId: kit.topology.groupId,
      topics: [kit.topic],
    });
    // A partition never committed reads -1; one never written to has nothing to commit.
    const at = (partition: number) =>
      committed!.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    return ends.every(({ partition, high }) => at(partition) === (high === '0' ? '-1' : high));
  });
}

const processedAll = (kit: KitHarness, events: Envelope[]) => () =>
  events.every((e) => kit.logs.withMsg('message processed').some((l) => l.eventId === e.eventId));

describe('offsets committed by time (consumer.commitIntervalMs)', () => {
  const INTERVAL_MS = 1_500;
  const kit = new KitHarness(uniqueName('kit'), { commitIntervalMs: INTERVAL_MS });
  beforeAll(() => kit.setUp());
  afterAll(() => kit.tearDown());

  it('commit at most once an interval across batches and partitions, and a quiet partition still gets its offset', async () => {
    const consumer = await joined(kit.consumer(handlers));
    const commits: number[] = [];
    consumer.on(consumer.events.COMMIT_OFFSETS, () => commits.push(Date.now()));

    // One produce request every 100 ms: a batch each, over three partitions (the baseline
    // commits at the end of each of them).
    const events = Array.from({ length: 30 }, () => orderCreated());
    const started = Date.now();
    for (const event of events) {
      await kit.produce(event);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await eventually(processedAll(kit, events), 30_000, 'all 30 events');
    await eventually(() => committedToTheEnd(kit), 10_000, 'every offset committed');
    const elapsed = Date.now() - started;

    expect(commits.length).toBeGreaterThanOrEqual(1);
    expect(commits.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 1);
    const gaps = commits.slice(1).map((t, i) => t - commits[i]!);
    // Seen when each commit's response arrives: one round trip may be slower than the next.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - 500);
  });
});

describe('offsets owed by a long commit interval', () => {
  const kit = new KitHarness(uniqueName('kit'), { commitIntervalMs: 600_000 });
  beforeAll(() => kit.setUp());
  afterAll(() => kit.tearDown());

  it('are committed when the consumer stops', async () => {
    await joined(kit.consumer(handlers));
    const events = Array.from({ length: 10 }, () => orderCreated());
    for (const event of events) await kit.produce(event);
    await eventually(processedAll(kit, events), 30_000, 'all 10 events');
    expect(await committedToTheEnd(kit)).toBe(false);

    await kit.stopConsumers();
    expect(await committedToTheEnd(kit)).toBe(true);
  });

  it('are committed before the group rebalances, so the next owner does not read them again', async () => {
    await joined(kit.consumer(handlers));
    const events = Array.from({ length: 10 }, () => orderCreated());
    for (const event of events) await kit.produce(event);
    await eventually(processedAll(kit, events), 30_000, 'all 10 events');
    expect(await committedToTheEnd(kit)).toBe(false);

    await joined(kit.consumer(handlers));
    // Nothing else would commit them for ten minutes.
    await eventually(() => committedToTheEnd(kit), 5_000, 'the owed offsets committed');
    // Both members fetch from the committed offsets now; give them time to read anything twice.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const again = kit.logs
      .withMsg('already processed, message skipped')
      .filter((l) => events.some((e) => e.eventId === l.eventId));
    expect(again).toEqual([]);
  });
});
