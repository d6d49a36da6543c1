import { Registry } from 'prom-client';
import { Sequelize } from 'sequelize';
import { Outbox, TransactionScopes, createMigrator } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { createTestDatabase } from '@shop/testkit';
import { Product } from '../src/domain/product';
import { PeriodicReconciliation } from '../src/application/periodic-reconciliation';
import { ReconcileStock } from '../src/application/reconcile-stock';
import { prometheusReconciliationObserver } from '../src/adapters/metrics/prometheus-reconciliation-observer';
import { INVENTORY_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { inventoryUnitOfWork } from '../src/adapters/persistence/sql-inventory-store';

const HOUR_MS = 3_600_000;

/** One inventory-service replica: its own pool and its own /metrics. */
function replica(url: string) {
  const sequelize = new Sequelize(url, { logging: false, dialect: 'postgres' });
  const registry = new Registry();
  const transactions = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
    inventoryUnitOfWork(sequelize, { preparedStatements: true }),
  );
  const reconciliation = new PeriodicReconciliation(
    transactions,
    new ReconcileStock(transactions),
    prometheusReconciliationObserver(registry, createLogger('inventory-service', 'fatal')),
    HOUR_MS,
  );
  return { sequelize, registry, transactions, round: () => reconciliation.round() };
}

/** A sample as Prometheus would scrape it; undefined when the metric has none. */
async function exported(registry: Registry, name: string): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values as Array<{ value: number }> | undefined)?.[0]?.value;
}

describe('the periodic stock reconciliation on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let a: ReturnType<typeof replica>;
  let b: ReturnType<typeof replica>;

  /** The next interval, without waiting an hour for it. */
  const nextInterval = () => a.sequelize.query('UPDATE stock_reconciliation SET period = 0');
  const breakTheCheck = () =>
    a.sequelize.query('ALTER TABLE reservations RENAME TO reservations_away');
  const repairTheCheck = () =>
    a.sequelize.query('ALTER TABLE reservations_away RENAME TO reservations');

  beforeAll(async () => {
    const db = await createTestDatabase('inventory-reconciliation');
    drop = db.drop;
    a = replica(db.url);
    b = replica(db.url);
    await createMigrator(a.sequelize, INVENTORY_MIGRATIONS).up();
    await a.transactions.run(async (uow) => {
      await uow.products.insert(
        Product.create({ id: 'A', name: 'a', priceCents: 100, initialStock: 5 }),
      );
      await uow.products.insert(
        Product.create({ id: 'B', name: 'b', priceCents: 100, initialStock: 5 }),
      );
    });
  });
  afterAll(async () => {
    await a?.sequelize.close();
    await b?.sequelize.close();
    await drop?.();
  });

  it('exports no stock accuracy before the first success, and counts a failed round', async () => {
    await breakTheCheck();
    expect(await a.round()).toBe('failed');
    await repairTheCheck();
    expect(await exported(a.registry, 'stock_accuracy_ratio')).toBeUndefined();
    expect(
      await exported(a.registry, 'stock_reconciliation_last_success_timestamp_seconds'),
    ).toBeUndefined();
    expect(await exported(a.registry, 'stock_reconciliation_failures_total')).toBe(1);
  });

  it('has one replica reconcile per interval, and both report its result', async () => {
    const before = Date.now() / 1000;
    expect((await Promise.all([a.round(), b.round()])).sort()).toEqual([
      'not-our-turn',
      'reconciled',
    ]);
    expect(await Promise.all([a.round(), b.round()])).toEqual(['not-our-turn', 'not-our-turn']);
    for (const r of [a, b]) {
      expect(await exported(r.registry, 'stock_accuracy_ratio')).toBe(1);
      const at = await exported(r.registry, 'stock_reconciliation_last_success_timestamp_seconds');
      expect(at).toBeGreaterThan(before - 5);
      expect(at).toBeLessThan(Date.now() / 1000 + 5);
    }
  });

  it('reports what the next interval finds, on every replica', async () => {
    // Stock held for no reservation: the equation still balances, the reservations do not.
    await a.sequelize.query(
      `UPDATE products SET available = available - 1, reserved = reserved + 1 WHERE id = 'A'`,
    );
    await nextInterval();
    await a.round();
    await b.round();
    expect(await exported(a.registry, 'stock_accuracy_ratio')).toBe(0.5);
    expect(await exported(b.registry, 'stock_accuracy_ratio')).toBe(0.5);
  });

  it('keeps the last success through a failed round, which gives its turn back', async () => {
    const lastSuccess = await exported(
      a.registry,
      'stock_reconciliation_last_success_timestamp_seconds',
    );
    await nextInterval();
    await breakTheCheck();
    expect(await a.round()).toBe('failed');
    await repairTheCheck();
    expect(await exported(a.registry, 'stock_accuracy_ratio')).toBe(0.5);
    expect(await exported(a.registry, 'stock_reconciliation_last_success_timestamp_seconds')).toBe(
      lastSuccess,
    );
    expect(await exported(a.registry, 'stock_reconciliation_failures_total')).toBe(2);

    await a.sequelize.query(
      `UPDATE products SET available = available + 1, reserved = reserved - 1 WHERE id = 'A'`,
    );
    expect(await b.round()).toBe('reconciled');
    await a.round();
    expect(await exported(a.registry, 'stock_accuracy_ratio')).toBe(1);
  });
});
