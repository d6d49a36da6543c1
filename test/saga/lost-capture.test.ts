import { reconcile } from '@shop/reconciliation';
import { eventually } from '@shop/testkit';
import { TestSystem } from '../support/system';

const CUSTOMER = 'crash-before-commit';

/**
 * The gateway's books are not rolled back with payment-service's: a capture can land while the
 * handler that asked for it fails before its commit. If the customer's cancel is handled before
 * the request comes again, the money must still go back.
 */
describe('a capture whose handler never committed, then a cancel', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // Longer retry delays for payment-service, so the cancel is handled before the retry.
    system = await TestSystem.start({ gateway: { KAFKA_RETRY_DELAYS_MS: '3000,5000,10000' } });
    // A database failure after the capture: payment-service cannot record a CAPTURED payment for
    // this customer while the flag is set (55P03, lock_not_available: retryable by the kit).
    await system.query(
      'payment',
      `CREATE TABLE test_failing_customers (customer_id text PRIMARY KEY);
       CREATE FUNCTION test_fail_capture() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.status = 'CAPTURED'
            AND EXISTS (SELECT 1 FROM test_failing_customers WHERE customer_id = NEW.customer_id) THEN
           RAISE EXCEPTION 'simulated failure before the commit' USING ERRCODE = '55P03';
         END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER test_fail_capture BEFORE INSERT ON payments
         FOR EACH ROW EXECUTE FUNCTION test_fail_capture();
       INSERT INTO test_failing_customers VALUES ('${CUSTOMER}');`,
    );
  });
  afterAll(() => system.stop());

  it('refunds the money, ends CANCELLED, and reconciles with nothing kept', async () => {
    const product = await system.addProduct(10, 3_000);
    const id = await system.placeOrder([{ productId: product, quantity: 2 }], CUSTOMER);
    await eventually(
      async () =>
        (await system.query('payment', `SELECT 1 FROM gateway_ledger WHERE order_id = $1`, [id]))
          .length === 1,
      30_000,
      'the capture to land at the gateway',
    );
    expect(await system.query('payment', 'SELECT 1 FROM payments')).toEqual([]);

    const cancel = await system.request('order', 'POST', `/orders/${id}/cancel`, {
      reason: 'changed my mind',
    });
    expect(cancel.status).toBe(202);
    await eventually(
      async () =>
        (await system.query('payment', 'SELECT 1 FROM cancelled_orders WHERE order_id = $1', [id]))
          .length === 1,
      30_000,
      'payment-service to handle the cancel',
    );
    await system.query('payment', 'DELETE FROM test_failing_customers');

    await system.waitForStatus(id, ['CANCELLED'], 60_000);
    // The request comes back from payment-service's retry topic and must change nothing.
    await eventually(
      async () =>
        (
          await system.query(
            'payment',
            `SELECT 1 FROM processed_events WHERE event_type = 'PaymentRequested'`,
          )
        ).length === 1,
      60_000,
      'the retried PaymentRequested to be processed',
    );
    // npm run reconcile's check reads the gateway's books, not only the payment rows.
    await eventually(
      async () => (await reconcile(system.databaseUrls())).outboxBacklog.payment === 0,
      30_000,
      'the outbox to drain',
    );
    expect((await reconcile(system.databaseUrls())).violations).toEqual([]);
    const ledger = await system.query<{ kind: string; amount_cents: number }>(
      'payment',
      'SELECT kind, amount_cents FROM gateway_ledger WHERE order_id = $1 ORDER BY created_at',
      [id],
    );
    expect(ledger).toEqual([
      { kind: 'capture', amount_cents: 6_000 },
      { kind: 'refund', amount_cents: 6_000 },
    ]);
    const payments = await system.request<{ items: Array<{ status: string }> }>(
      'payment',
      'GET',
      `/payments?orderId=${id}`,
    );
    expect(payments.body.items).toEqual([expect.objectContaining({ status: 'REFUNDED' })]);
    expect(await system.product(product)).toMatchObject({ available: 10, reserved: 0, sold: 0 });
    await system.waitForNotification(id, 'payment-refunded');
  });
});
