import { spawn } from 'node:child_process';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import type { EventHandlers } from '@shop/messaging';
import { eventually, testStack, withAdmin } from '@shop/testkit';
import { KitHarness, orderCreated } from './support/kit-harness';

const CRASHING_CONSUMER = path.join(__dirname, 'fixtures/crash-after-commit.ts');

describe('effects apply once, whatever happens to offsets', () => {
  const kit = new KitHarness();
  const handlers: EventHandlers = {
    OrderCreated: async (event, { transaction }) => {
      await kit.sequelize.query('INSERT INTO applied (event_id, order_id) VALUES ($1, $2)', {
        bind: [event.eventId, event.payload.orderId],
        transaction,
      });
    },
  };
  const applied = async () => {
    const [row] = await kit.sequelize.query<{ n: string }>('SELECT count(*) AS n FROM applied', {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };
  const skipped = (eventId: string) =>
    kit.logs.withMsg('already processed, message skipped').some((l) => l.eventId === eventId);

  beforeAll(async () => {
    await kit.setUp();
    // No key on event_id: an event applied twice must show as two rows, not as a unique violation.
    await kit.sequelize.query(
      'CREATE TABLE applied (id bigserial PRIMARY KEY, event_id uuid NOT NULL, order_id uuid NOT NULL)',
    );
  });
  afterAll(() => kit.tearDown());

  it('does not apply an event twice when the consumer died after its DB commit but before its offset commit', async () => {
    const event = orderCreated();
    await kit.produce(event);

    const child = spawn(process.execPath, ['--import', 'tsx', CRASHING_CONSUMER], {
      env: {
        ...process.env,
        TOPOLOGY: JSON.stringify(kit.topology),
        BROKERS: testStack().endpoints().bootstrapServers.join(','),
        DATABASE_URL: kit.databaseUrl,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, s) => resolve(s)),
    );
    expect(signal).toBe('SIGKILL');
    expect(await applied()).toBe(1);

    const committed = await withAdmin(kit.kafka, (admin) =>
      admin.fetchOffsets({ groupId: kit.topology.groupId, topics: [kit.topic] }),
    );
    expect(committed[0]!.partitions.every((p) => p.offset === '-1')).toBe(true);

    await kit.consumer(handlers).start();
    await eventually(() => skipped(event.eventId), 60_000, 'the redelivered event to be skipped');
    expect(await applied()).toBe(1);
  });

  it('changes nothing when the group offsets are reset and every event is delivered again', async () => {
    const events = Array.from({ length: 20 }, () => orderCreated());
    for (const e of events) await kit.produce(e);
    const processed = () =>
      events.every((e) =>
        kit.logs.withMsg('message processed').some((l) => l.eventId === e.eventId),
      );
    await eventually(processed, 60_000, 'all 20 events');
    const before = await applied();

    await kit.stopConsumers();
    await withAdmin(kit.kafka, (admin) =>
      admin.resetOffsets({ groupId: kit.topology.groupId, topic: kit.topic, earliest: true }),
    );
    await kit.consumer(handlers).start();

    await eventually(
      () => events.every((e) => skipped(e.eventId)),
      60_000,
      'all 20 replays to be skipped',
    );
    expect(await applied()).toBe(before);
  });
});
