import { Client } from 'pg';
import { RELAY_LOCK_KEY } from '@shop/messaging';
import { eventually } from '@shop/testkit';
import { TestSystem, type OrderView } from '../support/system';

/**
 * The saga's deadlines on the real system, short enough for a test, with two order-service
 * replicas sweeping the same database and no payment-service: an order whose OrderCreated was
 * dead-lettered, and an order nobody pays, both end CANCELLED with their stock back, once.
 */
describe('saga deadlines', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start({
      services: ['inventory', 'order'],
      orderReplicas: 2,
      order: {
        ORDER_DEADLINE_PENDING_MS: '3000',
        ORDER_DEADLINE_CONFIRMED_MS: '3000',
        ORDER_DEADLINE_CANCELLING_MS: '600000',
        ORDER_DEADLINE_SWEEP_INTERVAL_MS: '300',
      },
    });
  });
  afterAll(() => system.stop());

  const cancelsPublished = async (orderId: string) =>
    (
      await system.query<{ n: string }>(
        'order',
        `SELECT count(*) AS n FROM outbox WHERE message_key = $1 AND event_type = 'OrderCancelled'`,
        [orderId],
      )
    )[0]!.n;

  const expectCompensatedOnce = (order: OrderView, waitingFor: 'stock' | 'payment') => {
    expect(order.cancellationReason).toBe(`no ${waitingFor} answer before the deadline`);
    expect(order.history.filter((h) => h.cause === 'DeadlinePassed')).toHaveLength(1);
    expect(order.history.at(-2)).toMatchObject({ to: 'CANCELLING', cause: 'DeadlinePassed' });
    expect(order.history.at(-1)).toMatchObject({ to: 'CANCELLED', cause: 'StockRestored' });
  };

  it('cancels an order whose OrderCreated went to the DLQ, and a late copy reserves nothing', async () => {
    const product = await system.addProduct(5);
    // The relay may not publish while we hold its lock: the OrderCreated is taken out of the
    // outbox and put on the topic in a form inventory-service must dead-letter.
    const relay = new Client({ connectionString: system.databaseUrl('order') });
    await relay.connect();
    let orderId: string;
    let created: { event_id: string; value: string };
    try {
      await relay.query('BEGIN');
      await relay.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK_KEY]);
      orderId = await system.placeOrder([{ productId: product, quantity: 2 }]);
      const { rows } = await relay.query<{ event_id: string; value: string }>(
        `DELETE FROM outbox WHERE message_key = $1 AND event_type = 'OrderCreated'
         RETURNING event_id, value`,
        [orderId],
      );
      created = rows[0]!;
      await relay.query('COMMIT');
    } finally {
      await relay.end();
    }
    const unreadable = { ...JSON.parse(created.value), eventVersion: 99 };
    await system.produce('order-created', orderId, JSON.stringify(unreadable));

    const order = await system.waitForStatus(orderId, ['CANCELLED'], 60_000);
    expectCompensatedOnce(order, 'stock');
    expect(order.history.map((h) => h.to)).toEqual(['PENDING', 'CANCELLING', 'CANCELLED']);
    expect(await cancelsPublished(orderId)).toBe('1');
    expect(await system.product(product)).toMatchObject({ available: 5, reserved: 0 });

    // The record replayed once its cause is fixed: inventory takes it and reserves nothing.
    await system.produce('order-created', orderId, created.value);
    await eventually(
      async () =>
        (
          await system.query('inventory', 'SELECT 1 FROM processed_events WHERE event_id = $1', [
            created.event_id,
          ])
        ).length === 1,
      30_000,
      'inventory-service to take the late OrderCreated',
    );
    expect(await system.product(product)).toMatchObject({ available: 5, reserved: 0 });
    expect((await system.order(orderId)).status).toBe('CANCELLED');
  });

  it('cancels a confirmed order no payment answers, releasing its stock', async () => {
    const product = await system.addProduct(5);
    const orderId = await system.placeOrder([{ productId: product, quantity: 3 }]);
    const order = await system.waitForStatus(orderId, ['CANCELLED'], 60_000);
    expectCompensatedOnce(order, 'payment');
    expect(order.history.map((h) => h.to)).toEqual([
      'PENDING',
      'CONFIRMED',
      'CANCELLING',
      'CANCELLED',
    ]);
    expect(await cancelsPublished(orderId)).toBe('1');
    expect(await system.product(product)).toMatchObject({ available: 5, reserved: 0 });
  });

  it('lists no stuck saga once the sweep has mended both, with the deadlines it applies', async () => {
    const stuck = await system.request('order', 'GET', '/sagas/stuck');
    expect(stuck).toMatchObject({
      status: 200,
      body: { deadlinesMs: { PENDING: 3000, CONFIRMED: 3000, CANCELLING: 600000 }, items: [] },
    });
    expect((await system.request('order', 'GET', '/sagas/stuck?limit=0')).status).toBe(422);
  });
});
