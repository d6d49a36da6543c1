import { Client } from 'pg';
import { RELAY_LOCK_KEY } from '@shop/messaging';
import { reconcile } from '@shop/reconciliation';
import { eventually } from '@shop/testkit';
import { TestSystem } from '../support/system';

/**
 * Reconciliation is what every saga test trusts to say "0 violations", so it must be seen to
 * fail: after a clean run, each invariant is broken on purpose and must be named.
 */
describe('reconciliation', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start();
  });
  afterAll(() => system.stop());

  it('finds nothing after a clean order, then names every invariant broken on purpose', async () => {
    const product = await system.addProduct(10, 2_500);
    const completed = await system.placeOrder([{ productId: product, quantity: 2 }]);
    const other = await system.placeOrder([{ productId: product, quantity: 1 }]);
    const unpaid = await system.placeOrder([{ productId: product, quantity: 1 }]);
    for (const id of [completed, other, unpaid]) await system.waitForStatus(id, ['COMPLETED']);
    await eventually(
      async () => (await reconcile(system.databaseUrls())).violations.length === 0,
      30_000,
      'a clean reconciliation',
    );

    // A completed order marked cancelled: its money and its deducted stock are now "kept".
    await system.query('order', `UPDATE orders SET status = 'CANCELLED' WHERE id = $1`, [
      completed,
    ]);
    await system.query('order', `UPDATE orders SET status = 'CONFIRMED' WHERE id = $1`, [other]);
    // The database's own CHECK refuses a broken stock equation; reconciliation is the independent
    // check for whatever gets around it (a manual fix, a restored backup), so the CHECK goes first.
    await system.query('inventory', `ALTER TABLE products DROP CONSTRAINT stock_balances`);
    await system.query('inventory', `UPDATE products SET sold = sold + 1 WHERE id = $1`, [product]);
    await system.query(
      'payment',
      `INSERT INTO gateway_ledger (idempotency_key, kind, order_id, amount_cents, reference, currency)
       SELECT 'again:' || order_id, 'capture', order_id, amount_cents, reference, currency
       FROM gateway_ledger WHERE order_id = $1 AND kind = 'capture'`,
      [other],
    );
    // A completed order whose stock was never deducted and whose payment is gone.
    await system.query(
      'inventory',
      `UPDATE reservations SET status = 'RELEASED' WHERE order_id = $1`,
      [unpaid],
    );
    await system.query('payment', `DELETE FROM payments WHERE order_id = $1`, [unpaid]);
    // An event left unpublished: order-service's relay is paused (we hold its lock), or it would
    // simply publish the row again before reconciliation looks.
    const relayLock = new Client({ connectionString: system.databaseUrls().order });
    await relayLock.connect();
    await relayLock.query('SELECT pg_advisory_lock($1)', [RELAY_LOCK_KEY]);
    await system.query(
      'order',
      `UPDATE outbox SET published_at = NULL WHERE id = (SELECT max(id) FROM outbox)`,
    );

    const { violations } = await reconcile(system.databaseUrls()).finally(() => relayLock.end());
    const named = (check: string, about: string) =>
      violations.some((v) => v.check === check && v.detail.includes(about));
    expect(named('terminal state', other)).toBe(true);
    expect(named('stock equation', product)).toBe(true);
    expect(named('stock matches reservations', product)).toBe(true);
    expect(named('captured at most once', other)).toBe(true);
    expect(named('no leaked reservation', completed)).toBe(true);
    expect(named('no money kept', completed)).toBe(true);
    expect(named('outbox published', 'order')).toBe(true);
    expect(named('deducted once', unpaid)).toBe(true);
    expect(named('paid once', unpaid)).toBe(true);
  });
});
