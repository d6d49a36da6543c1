import crypto from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import { BusinessError, type Envelope } from '@shop/contracts';
import type { EventHandlers } from '@shop/messaging';
import { eventually } from '@shop/testkit';
import { KitHarness, orderCreated } from './support/kit-harness';

class StockLockRefusedError extends BusinessError {}

/** One call of the step or of a handler: what it saw, in which database transaction. */
interface Call {
  readonly by: 'step' | 'handler';
  readonly eventIds: readonly string[];
  readonly txid: string;
}

describe('a subscription step before each chunk (the hook for locks taken in one order)', () => {
  const kit = new KitHarness();
  const calls: Call[] = [];
  const failingHandler = new Set<string>();
  const failingStep = new Set<string>();

  const txidOf = async (transaction: Transaction) => {
    const [row] = await kit.sequelize.query<{ id: string }>('SELECT txid_current()::text AS id', {
      transaction,
      type: QueryTypes.SELECT,
    });
    return row!.id;
  };

  const handlers: EventHandlers = {
    beforeChunk: async (events, { transaction }) => {
      calls.push({
        by: 'step',
        eventIds: events.map((e) => e.eventId),
        txid: await txidOf(transaction),
      });
      if (events.some((e) => failingStep.has(e.eventId))) {
        throw new StockLockRefusedError('stock rows locked by an audit');
      }
    },
    OrderCreated: async (event, { transaction }) => {
      calls.push({ by: 'handler', eventIds: [event.eventId], txid: await txidOf(transaction) });
      if (failingHandler.has(event.eventId)) throw new StockLockRefusedError('no stock');
    },
  };

  beforeAll(async () => {
    await kit.setUp();
    await kit.consumer(handlers).start();
  });
  afterAll(() => kit.tearDown());

  const processed = (event: Envelope) =>
    kit.logs.withMsg('message processed').some((l) => l.eventId === event.eventId);
  const skipped = (event: Envelope) =>
    kit.logs
      .withMsg('business error, message skipped')
      .some((l) => l.orderId === event.aggregateId);
  /** One produce request on one key: one partition, one fetch, one chunk. */
  const produceTogether = (events: Envelope[]) =>
    kit.producer.sendBatch([
      {
        topic: kit.topic,
        messages: events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
      },
    ]);
  const callsAbout = (events: Envelope[]) =>
    calls.filter((c) => c.eventIds.some((id) => events.some((e) => e.eventId === id)));

  it('runs once per chunk, in its transaction and before its handlers, with the events not processed before', async () => {
    const orderId = crypto.randomUUID();
    const seen = orderCreated(orderId);
    await kit.produce(seen);
    await eventually(() => processed(seen), 30_000, 'the first event');

    const [first, second] = [orderCreated(orderId), orderCreated(orderId)];
    await produceTogether([first, seen, second]);
    await eventually(() => processed(first) && processed(second), 30_000, 'both new events');

    const chunk = callsAbout([first, second]);
    expect(chunk.map((c) => [c.by, c.eventIds])).toEqual([
      ['step', [first.eventId, second.eventId]],
      ['handler', [first.eventId]],
      ['handler', [second.eventId]],
    ]);
    expect(new Set(chunk.map((c) => c.txid)).size).toBe(1);
  });

  it('runs again for an isolated slice when a handler failed in the shared chunk, in the slice transaction', async () => {
    const orderId = crypto.randomUUID();
    const events = [orderCreated(orderId), orderCreated(orderId), orderCreated(orderId)];
    const [ok1, rejected, ok2] = events;
    failingHandler.add(rejected!.eventId);
    await produceTogether(events);
    await eventually(
      () => processed(ok1!) && processed(ok2!) && skipped(rejected!),
      30_000,
      'the slice',
    );

    const ids = events.map((e) => e.eventId);
    const chunk = callsAbout(events);
    // Together first (rolled back), then the slice with each handler in its savepoint.
    expect(chunk.map((c) => [c.by, c.eventIds])).toEqual([
      ['step', ids],
      ['handler', [ids[0]]],
      ['handler', [ids[1]]],
      ['step', ids],
      ['handler', [ids[0]]],
      ['handler', [ids[1]]],
      ['handler', [ids[2]]],
    ]);
    expect(new Set(chunk.slice(3).map((c) => c.txid)).size).toBe(1);
  });

  it('runs for a record alone too, and a failing step gets the record its three-tier outcome', async () => {
    const alone = orderCreated();
    await kit.produce(alone);
    await eventually(() => processed(alone), 30_000, 'the lone event');
    const refused = orderCreated();
    failingStep.add(refused.eventId);
    await kit.produce(refused);
    await eventually(() => skipped(refused), 30_000, 'the refused event to be skipped');

    expect(callsAbout([alone]).map((c) => c.by)).toEqual(['step', 'handler']);
    expect(new Set(callsAbout([alone]).map((c) => c.txid)).size).toBe(1);
    expect(callsAbout([refused]).map((c) => c.by)).not.toContain('handler');
  });
});
