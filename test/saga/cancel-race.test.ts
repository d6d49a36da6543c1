import crypto from 'node:crypto';
import { createEnvelope } from '@shop/contracts';
import { reconcile } from '@shop/reconciliation';
import { eventually } from '@shop/testkit';
import { TestSystem } from '../support/system';

/** A slow gateway holds the capture open, so the customer's cancel lands while money is being taken. */
describe('a cancel that races the payment', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start({ gateway: { GATEWAY_LATENCY_MS: '1500' } });
  });
  afterAll(() => system.stop());

  it('ends CANCELLED with the money refunded and the stock back', async () => {
    const product = await system.addProduct(10, 4_000);
    const id = await system.placeOrder([{ productId: product, quantity: 2 }]);
    await system.waitForStatus(id, ['CONFIRMED']);
    // Cancel only once the capture is under way: payment-service holds the order's advisory lock
    // for the whole slow gateway call, so the cancel is certain to meet a capture in flight (and
    // its handler to wait for that lock), not to arrive before the payment request.
    await eventually(
      async () =>
        (
          await system.query(
            'payment',
            `SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
            [id],
          )
        ).length > 0,
      30_000,
      'payment-service to be capturing',
    );
    const cancel = await system.request('order', 'POST', `/orders/${id}/cancel`, {
      reason: 'found it cheaper',
    });
    expect(cancel.status).toBe(202);

    const order = await system.waitForStatus(id, ['CANCELLED'], 60_000);
    expect(order.history.map((h) => h.to)).toEqual([
      'PENDING',
      'CONFIRMED',
      'CANCELLING',
      'CANCELLED',
    ]);
    await eventually(
      async () =>
        (
          await system.request<{ items: Array<{ status: string }> }>(
            'payment',
            'GET',
            `/payments?orderId=${id}`,
          )
        ).body.items[0]?.status === 'REFUNDED',
      30_000,
      'the captured money to be refunded',
    );
    const ledger = await system.query<{ kind: string }>(
      'payment',
      'SELECT kind FROM gateway_ledger WHERE order_id = $1 ORDER BY created_at',
      [id],
    );
    expect(ledger.map((l) => l.kind)).toEqual(['capture', 'refund']);
    expect(await system.product(product)).toMatchObject({ available: 10, reserved: 0, sold: 0 });
    await system.waitForNotification(id, 'payment-refunded');
    expect((await reconcile(system.databaseUrls())).violations).toEqual([]);
  });

  it('voids, without capturing, a payment requested after payment-service saw the cancel', async () => {
    const orderId = crypto.randomUUID();
    const origin = { correlationId: orderId, causationId: orderId };
    const cancelled = createEnvelope(
      'OrderCancelled',
      orderId,
      { orderId, customerId: 'zoe', reason: { code: 'customer', detail: 'changed my mind' } },
      origin,
    );
    await system.produce('order-cancelled', orderId, JSON.stringify(cancelled));
    await eventually(
      async () =>
        (
          await system.query('payment', 'SELECT 1 FROM cancelled_orders WHERE order_id = $1', [
            orderId,
          ])
        ).length === 1,
      30_000,
      'payment-service to record the cancel',
    );
    const requested = createEnvelope(
      'PaymentRequested',
      orderId,
      {
        orderId,
        customerId: 'zoe',
        paymentMethod: { type: 'card', reference: 'tok_visa' },
        amountCents: 1_000,
        currency: 'USD',
      },
      origin,
    );
    await system.produce('payment-requested', orderId, JSON.stringify(requested));
    await eventually(
      async () =>
        (
          await system.request<{ items: Array<{ status: string }> }>(
            'payment',
            'GET',
            `/payments?orderId=${orderId}`,
          )
        ).body.items[0]?.status === 'VOIDED',
      30_000,
      'the payment to be voided',
    );
    expect(
      await system.query('payment', 'SELECT * FROM gateway_ledger WHERE order_id = $1', [orderId]),
    ).toEqual([]);
  });
});
