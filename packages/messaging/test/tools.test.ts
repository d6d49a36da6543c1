import path from 'node:path';
import { dlqTopicOf, parkingTopicOf } from '@shop/contracts';
import { DeadLetterStore, consumerLag, type EventHandlers } from '@shop/messaging';
import { eventually, runScript, uniqueName } from '@shop/testkit';
import { KitHarness, orderCreated } from './support/kit-harness';

const ROOT = path.resolve(__dirname, '../../..');

const tool = (script: 'dlq' | 'lag', args: string[], env: Record<string, string> = {}) =>
  runScript(path.join(ROOT, 'scripts', `${script}.ts`), args, env);

describe('operator tools', () => {
  const kit = new KitHarness();
  let fixed = false;
  let applied = 0;
  const handlers: EventHandlers = {
    OrderCreated: async () => {
      if (!fixed) throw new RangeError('price table missing for PROD-002');
      applied++;
    },
  };

  beforeAll(async () => {
    await kit.setUp();
    await kit.consumer(handlers).start();
  });
  afterAll(() => kit.tearDown());

  it('lists, shows and replays a dead letter to the consumer that failed it, once', async () => {
    const event = orderCreated();
    await kit.produce(event);
    const dlqTopic = dlqTopicOf(kit.topic);
    const store = new DeadLetterStore(kit.kafka, [dlqTopic]);
    await eventually(async () => (await store.list()).length === 1, 30_000, 'the dead letter');

    const list = await tool('dlq', ['list', '--topic', dlqTopic, '--error-class', 'RangeError']);
    expect(list.stderr).toBe('');
    expect(list.stdout).toContain(`service=${kit.topology.service} original=${kit.topic}/`);
    expect(list.stdout).toContain('RangeError: price table missing for PROD-002');
    expect(list.stdout).toContain('1 dead letter(s)');
    expect(
      (await tool('dlq', ['list', '--topic', dlqTopic, '--error-class', 'TypeError'])).stdout,
    ).toContain('0 dead letter(s)');

    const [letter] = await store.list();
    const show = await tool('dlq', ['show', dlqTopic, String(letter!.partition), letter!.offset]);
    const shown = JSON.parse(show.stdout) as {
      value: { eventId: string };
      headers: Record<string, string>;
    };
    expect(shown.value.eventId).toBe(event.eventId);
    expect(shown.headers['dlq.error.class']).toBe('RangeError');

    const dry = await tool('dlq', ['replay', '--all', '--topic', dlqTopic, '--dry-run']);
    expect(dry.stdout).toContain(
      `would replay ${dlqTopic} ${letter!.partition} ${letter!.offset} to ${kit.topology.service}-retry-1`,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(applied).toBe(0);

    fixed = true;
    const replay = await tool('dlq', [
      'replay',
      dlqTopic,
      String(letter!.partition),
      letter!.offset,
    ]);
    expect(replay.stdout).toContain('1 dead letter(s) replayed');
    await eventually(() => applied === 1, 30_000, 'the replayed record to be applied');

    // A second replay of the same dead letter is recognised as already processed.
    await tool('dlq', ['replay', dlqTopic, String(letter!.partition), letter!.offset]);
    await eventually(
      () =>
        kit.logs
          .withMsg('already processed, message skipped')
          .some((l) => l.eventId === event.eventId),
      30_000,
      'the second replay to be skipped',
    );
    expect(applied).toBe(1);
    expect((await store.list()).length).toBe(1);
  });

  it('says so, in one line, for an unknown DLQ topic or an unreachable cluster', async () => {
    const wrong = await tool('dlq', ['list', '--topic', 'no-such-topic-dlq']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe(
      'dlq: no such DLQ topic: no-such-topic-dlq (DLQ topics are named <topic>-dlq)',
    );
    const down = await tool('lag', [], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toMatch(/^lag: cannot reach Kafka at 127\.0\.0\.1:1: /);
  });

  it('reports consumer lag per partition and in total', async () => {
    const topic = uniqueName('lag');
    await kit.createTopics([topic]);
    const groupId = uniqueName('lag-group');
    for (let i = 0; i < 6; i++) await kit.produceRaw(`k${i}`, `v${i}`, topic);
    const consumer = kit.kafka.consumer({ groupId });
    let seen = 0;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => void seen++ });
    await eventually(() => seen === 6, 30_000, 'six records');
    await consumer.disconnect();
    for (let i = 0; i < 4; i++) await kit.produceRaw(`k${i}`, `late${i}`, topic);

    const rows = await consumerLag(kit.kafka, [groupId]);
    expect(rows).toHaveLength(3);
    expect(rows.reduce((sum, r) => sum + r.lag, 0n)).toBe(4n);
    const cli = await tool('lag', ['--group', groupId]);
    expect(cli.stdout).toMatch(/GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG/);
    expect(cli.stdout).toContain(`total lag ${groupId} ${topic}: 4`);
  });

  it('counts a partition the group has never committed on, from the start of its log', async () => {
    const topic = uniqueName('lag-partial');
    await kit.createTopics([topic]);
    const groupId = uniqueName('lag-partial-group');
    for (let i = 0; i < 9; i++) await kit.produceRaw(`k${i}`, `v${i}`, topic);
    const admin = kit.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const p0 = ends.find((o) => o.partition === 0)!;
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: p0.high }] });
      const rows = await consumerLag(kit.kafka, [groupId]);
      expect(rows.map((r) => r.partition)).toEqual(ends.map((o) => o.partition).sort());
      expect(rows[0]).toMatchObject({ committed: BigInt(p0.high), lag: 0n });
      const uncommitted = ends.filter((o) => o.partition !== 0);
      for (const o of uncommitted) {
        expect(rows.find((r) => r.partition === o.partition)).toMatchObject({
          committed: undefined,
          lag: BigInt(o.high) - BigInt(o.low),
        });
      }
    } finally {
      await admin.disconnect();
    }
  });
});

describe('replaying a record that keeps failing', () => {
  const MAX_REPLAYS = 2;
  const kit = new KitHarness(uniqueName('kit'), { dlqMaxReplays: MAX_REPLAYS });
  const handlers: EventHandlers = {
    OrderCreated: async () => {
      throw new RangeError('still no price table');
    },
  };

  beforeAll(async () => {
    await kit.setUp();
    await kit.consumer(handlers).start();
  });
  afterAll(() => kit.tearDown());

  it('counts each replay on the record, and parks it once the count reaches the limit', async () => {
    const event = orderCreated();
    await kit.produce(event);
    const dlqTopic = dlqTopicOf(kit.topic);
    const store = new DeadLetterStore(kit.kafka, [dlqTopic]);
    await eventually(async () => (await store.list()).length === 1, 30_000, 'the dead letter');
    const [first] = await store.list();
    expect(first!.replayCount).toBe(0);

    const replay = await tool('dlq', [
      'replay',
      dlqTopic,
      String(first!.partition),
      first!.offset,
      '--max-replays',
      String(MAX_REPLAYS),
    ]);
    expect(replay.stdout).toContain('1 dead letter(s) replayed');
    await eventually(async () => (await store.list()).length === 2, 30_000, 'the second failure');
    const again = (await store.list()).find((d) => d.offset !== first!.offset)!;
    expect(again.replayCount).toBe(1);
    expect(again.headers['replay.count']?.toString()).toBe('1');

    const dry = await tool('dlq', [
      'replay',
      '--all',
      '--topic',
      dlqTopic,
      '--dry-run',
      '--max-replays',
      '1',
    ]);
    expect(dry.stdout).toContain(
      `parked ${dlqTopic} ${again.partition} ${again.offset}: replayed 1 time(s) already, not sent`,
    );
    expect(dry.stdout).toContain('1 dead letter(s) would be replayed (dry run)');

    // Replayed as often as the consumer allows, it fails again: parked, not dead-lettered again.
    const dlqCount = await kit.counter('kafka_messages_dlq_total', { topic: kit.topic });
    const last = await tool('dlq', [
      'replay',
      dlqTopic,
      String(again.partition),
      again.offset,
      '--max-replays',
      String(MAX_REPLAYS),
    ]);
    expect(last.stdout).toContain('1 dead letter(s) replayed');
    const parking = new DeadLetterStore(kit.kafka, [parkingTopicOf(kit.topic)]);
    await eventually(async () => (await parking.list()).length === 1, 30_000, 'the parked record');
    const [parked] = await parking.list();
    expect(parked).toMatchObject({
      service: kit.topology.service,
      originalTopic: kit.topic,
      originalPartition: first!.originalPartition,
      originalOffset: first!.originalOffset,
      errorClass: 'RangeError',
      replayCount: MAX_REPLAYS,
    });
    expect(JSON.parse(parked!.value!.toString())).toEqual(event);
    expect(
      Object.keys(parked!.headers)
        .filter((h) => h.startsWith('dlq.'))
        .sort(),
    ).toEqual(
      Object.keys(again.headers)
        .filter((h) => h.startsWith('dlq.'))
        .sort(),
    );
    expect((await store.list()).length).toBe(2);
    expect(kit.logs.withMsg(`record parked after ${MAX_REPLAYS} replays`)).toHaveLength(1);
    expect(await kit.counter('kafka_messages_dlq_total', { topic: kit.topic })).toBe(dlqCount + 1);
  });
});
