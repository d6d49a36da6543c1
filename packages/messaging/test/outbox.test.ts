import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { QueryTypes, Sequelize } from 'sequelize';
import type { Envelope } from '@shop/contracts';
import {
  OutboxRelay,
  RELAY_LOCK_KEY,
  ReliableProducer,
  type MessagingSettings,
} from '@shop/messaging';
import { waitForFullIsr } from '@shop/devstack';
import { eventually, testStack } from '@shop/testkit';
import { readToEnd } from '../src/tools/read-topic';
import { KitHarness, orderCreated } from './support/kit-harness';

const RELAY_PROCESS = path.join(__dirname, 'fixtures/relay.ts');
const stack = testStack();

describe('the transactional outbox and its relay', () => {
  const kit = new KitHarness();
  const relays: OutboxRelay[] = [];
  const extraSequelizes: Sequelize[] = [];

  beforeAll(() => kit.setUp());
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    for (const node of stack.kafkaNodes) if (node.pid === undefined) node.start();
    await waitForFullIsr(stack.config, 120_000);
    await Promise.all(extraSequelizes.map((s) => s.close()));
    await kit.tearDown();
  });

  const relay = (
    sequelize = kit.sequelize,
    producer = kit.producer,
    outbox: Partial<MessagingSettings['outbox']> = {},
  ) => {
    const r = new OutboxRelay({
      service: kit.topology.service,
      sequelize,
      producer,
      settings: { ...kit.settings.outbox, batchSize: 20, ...outbox },
      logger: kit.logger,
      metrics: kit.metrics,
    });
    relays.push(r);
    return r;
  };

  /** Events for `aggregates` orders, interleaved, written in transactions of ten like a busy service. */
  async function writeEvents(aggregates: string[], perAggregate: number): Promise<Envelope[]> {
    const events: Envelope[] = [];
    for (let round = 0; round < perAggregate; round++) {
      for (const id of aggregates) events.push(orderCreated(id));
    }
    for (let i = 0; i < events.length; i += 10) {
      await kit.sequelize.transaction((t) => kit.outbox.append(t, events.slice(i, i + 10)));
    }
    return events;
  }

  async function unpublished(): Promise<number> {
    const [row] = await kit.sequelize.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
      { type: QueryTypes.SELECT },
    );
    return Number(row?.n);
  }

  /**
   * Every record of the expected aggregates on order-created, each partition read to the end it
   * has once the rows are published: a duplicate written after the first copy is read too.
   */
  async function readBack(expected: Envelope[]): Promise<Envelope[]> {
    const wanted = new Set(expected.map((e) => e.aggregateId));
    return (await readToEnd(kit.kafka, ['order-created']))
      .filter(({ message }) => wanted.has(message.key!.toString()))
      .map(({ message }) => JSON.parse(message.value!.toString()) as Envelope);
  }

  /** Per aggregate, the first deliveries must follow the order the rows were written in. */
  function expectPerAggregateOrder(expected: Envelope[], seen: Envelope[]): void {
    for (const aggregate of new Set(expected.map((e) => e.aggregateId))) {
      const firstSeen: string[] = [];
      for (const e of seen)
        if (e.aggregateId === aggregate && !firstSeen.includes(e.eventId))
          firstSeen.push(e.eventId);
      expect(firstSeen).toEqual(
        expected.filter((e) => e.aggregateId === aggregate).map((e) => e.eventId),
      );
    }
  }

  it('refuses to write an invalid event', async () => {
    const bad = { ...orderCreated(), payload: { orderId: 'nope' } } as unknown as Envelope;
    await expect(kit.sequelize.transaction((t) => kit.outbox.append(t, [bad]))).rejects.toThrow(
      'invalid OrderCreated v1 payload',
    );
  });

  it('loses nothing and keeps per-aggregate order across a full broker outage', async () => {
    const aggregates = Array.from({ length: 8 }, () => crypto.randomUUID());
    const before = await writeEvents(aggregates, 15);
    relay().start();
    await eventually(async () => (await unpublished()) === 0, 60_000, 'the first 120 rows');

    for (const node of stack.kafkaNodes) node.kill();
    const during = await writeEvents(aggregates, 10);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await unpublished()).toBe(during.length);

    for (const node of stack.kafkaNodes) node.start();
    // The group coordinator must have its partitions back before a new group can join to read.
    await waitForFullIsr(stack.config, 120_000, ['__consumer_offsets', 'order-created']);
    await eventually(
      async () => (await unpublished()) === 0,
      120_000,
      'the rows written during the outage',
    );

    const all = [...before, ...during];
    const seen = await readBack(all);
    expect(new Set(seen.map((e) => e.eventId))).toEqual(new Set(all.map((e) => e.eventId)));
    expectPerAggregateOrder(all, seen);
  }, 300_000);

  it('loses nothing and keeps order when the relay process is killed mid-publish', async () => {
    const aggregates = Array.from({ length: 5 }, () => crypto.randomUUID());
    const events = await writeEvents(aggregates, 40);
    const child = spawn(process.execPath, ['--import', 'tsx', RELAY_PROCESS], {
      env: {
        ...process.env,
        BROKERS: stack.endpoints().bootstrapServers.join(','),
        DATABASE_URL: kit.databaseUrl,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await eventually(
      async () => (await unpublished()) < events.length - 30,
      60_000,
      'the relay process to publish some',
    );
    child.kill('SIGKILL');
    await exited;
    const left = await unpublished();
    expect(left).toBeGreaterThan(0);

    relay().start();
    await eventually(
      async () => (await unpublished()) === 0,
      60_000,
      'the survivor to publish the rest',
    );
    const seen = await readBack(events);
    expectPerAggregateOrder(events, seen);
  });

  it('publishes each row exactly once with two relays on one database', async () => {
    const aggregates = Array.from({ length: 20 }, () => crypto.randomUUID());
    const events = await writeEvents(aggregates, 25);
    const second = new Sequelize(kit.databaseUrl, { logging: false, dialect: 'postgres' });
    extraSequelizes.push(second);
    const secondProducer = new ReliableProducer(kit.kafka, kit.settings);
    await secondProducer.connect();
    try {
      relay().start();
      relay(second, secondProducer).start();
      await eventually(async () => (await unpublished()) === 0, 60_000, '500 rows');
      const seen = await readBack(events);
      expect(seen.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
      expectPerAggregateOrder(events, seen);
    } finally {
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await secondProducer.disconnect();
    }
  });

  /** A relay that only a nudge wakes, once it has looked at the outbox it found empty. */
  async function idleRelay(outbox: Partial<MessagingSettings['outbox']>): Promise<OutboxRelay> {
    const r = relay(kit.sequelize, kit.producer, { pollIntervalMs: 60_000, ...outbox });
    const firstLook = jest.spyOn(r, 'pending');
    r.start();
    await eventually(() => firstLook.mock.calls.length > 0, 10_000, 'the first look');
    await expect(firstLook.mock.results[0]!.value).resolves.toBe(false);
    firstLook.mockRestore();
    return r;
  }

  it('lingers after a wake-up, so commits close together leave in one produce request', async () => {
    const r = await idleRelay({ lingerMs: 500 });
    const sends = jest.spyOn(kit.producer, 'sendBatch');
    try {
      const events = Array.from({ length: 5 }, () => orderCreated());
      for (const event of events) {
        await kit.sequelize.transaction((t) => kit.outbox.append(t, [event]));
        r.notify();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await eventually(async () => (await unpublished()) === 0, 10_000, 'the five rows');
      expect(sends.mock.calls.map(([batch]) => batch.flatMap((t) => t.messages).length)).toEqual([
        5,
      ]);
    } finally {
      sends.mockRestore();
    }
  });

  it('marks rows published without waiting for the WAL flush, in its own transaction only', async () => {
    // One connection: what the relay's transaction set would still show in the next one.
    const single = new Sequelize(kit.databaseUrl, {
      logging: false,
      dialect: 'postgres',
      pool: { max: 1 },
    });
    extraSequelizes.push(single);
    // What the marking transaction itself runs with, seen from inside it.
    await single.query(`
      CREATE TABLE mark_commit_settings (synchronous_commit text);
      CREATE FUNCTION record_mark_commit_setting() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO mark_commit_settings VALUES (current_setting('synchronous_commit'));
          RETURN NULL;
        END $$;
      CREATE TRIGGER record_mark_commit_setting AFTER UPDATE ON outbox
        FOR EACH STATEMENT EXECUTE FUNCTION record_mark_commit_setting();`);
    try {
      await writeEvents([crypto.randomUUID()], 3);
      const r = relay(single, kit.producer, { asyncCommitMarks: true });
      await expect(r.publishBatch()).resolves.toBe(3);
      expect(await unpublished()).toBe(0);
      expect(
        await single.query('SELECT synchronous_commit FROM mark_commit_settings', {
          type: QueryTypes.SELECT,
        }),
      ).toEqual([{ synchronous_commit: 'off' }]);
      expect(
        await single.transaction((transaction) =>
          single.query('SHOW synchronous_commit', { transaction, type: QueryTypes.SELECT }),
        ),
      ).toEqual([{ synchronous_commit: 'on' }]);
    } finally {
      await single.query(`
        DROP TRIGGER record_mark_commit_setting ON outbox;
        DROP FUNCTION record_mark_commit_setting;
        DROP TABLE mark_commit_settings;`);
    }
  });

  it('polls an idle outbox with one statement, no transaction and no lock', async () => {
    const statements: string[] = [];
    const watched = new Sequelize(kit.databaseUrl, {
      dialect: 'postgres',
      logging: (sql) => statements.push(sql),
    });
    extraSequelizes.push(watched);
    const r = relay(watched, kit.producer, { pollIntervalMs: 50 });
    r.start();
    await eventually(() => statements.length > 0, 10_000, 'the first look');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await r.stop();
    expect(statements.length).toBeGreaterThanOrEqual(5);
    expect(statements.filter((sql) => !sql.includes('EXISTS'))).toEqual([]);
  });

  it('asks again soon when a commit met the lock taken by another relay', async () => {
    const r = await idleRelay({});
    const other = new Sequelize(kit.databaseUrl, { logging: false, dialect: 'postgres' });
    extraSequelizes.push(other);
    // Another replica's relay, publishing: it holds the lock and has read before our commit.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockHeld = new Promise<void>((resolve) => (locked = resolve));
    const holding = other.transaction(async (transaction) => {
      await other.query('SELECT pg_advisory_xact_lock($1)', {
        bind: [RELAY_LOCK_KEY],
        transaction,
      });
      locked();
      await released;
    });
    try {
      await lockHeld;
      await kit.sequelize.transaction((t) => kit.outbox.append(t, [orderCreated()]));
      r.notify();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await unpublished()).toBe(1);
    } finally {
      release();
      await holding;
    }
    // Well before the next poll (a minute away).
    await eventually(async () => (await unpublished()) === 0, 3_000, 'the row');
  });

  it('reports its backlog and deletes published rows past retention', async () => {
    await writeEvents([crypto.randomUUID()], 3);
    const r = relay();
    expect(await r.backlog()).toMatchObject({ backlog: 3 });
    expect(await kit.registry.metrics()).toMatch(/outbox_backlog_events\{service="[^"]+"\} 3/);
    await r.publishBatch();
    expect(await r.backlog()).toEqual({ backlog: 0, oldestAgeSeconds: 0 });
    await kit.sequelize.query(`UPDATE outbox SET published_at = now() - interval '25 hours'`);
    expect(await r.cleanup()).toBeGreaterThan(0);
    const [row] = await kit.sequelize.query<{ n: string }>('SELECT count(*) AS n FROM outbox', {
      type: QueryTypes.SELECT,
    });
    expect(Number(row?.n)).toBe(0);
  });
});
