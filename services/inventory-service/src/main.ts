import { tracing } from './instrumentation';
import {
  repeatEvery,
  runService,
  startService,
  type Repeating,
  type StartedService,
} from '@shop/service-kit';
import { Catalog } from './application/catalog';
import { systemClock } from './application/clock';
import { PeriodicReconciliation } from './application/periodic-reconciliation';
import { ReconcileStock } from './application/reconcile-stock';
import { StockSaga } from './application/stock-saga';
import { inventoryEventHandlers } from './adapters/messaging/inventory-events.listener';
import { prometheusReconciliationObserver } from './adapters/metrics/prometheus-reconciliation-observer';
import { prometheusStockMetrics } from './adapters/metrics/prometheus-stock-metrics';
import { INVENTORY_MIGRATIONS } from './adapters/persistence/migrations';
import { inventoryUnitOfWork } from './adapters/persistence/sql-inventory-store';
import { seedDemoCatalog } from './application/seed-demo-catalog';
import { productProblem, productRouter } from './adapters/web/product.http';
import { loadInventoryConfig, type InventoryConfig } from './config';

/** The composition root: every adapter of inventory-service is built and wired here, and nowhere else. */
export function startInventoryService(config: InventoryConfig): Promise<StartedService> {
  return startService(
    'inventory-service',
    config,
    INVENTORY_MIGRATIONS,
    ({ sequelize, messaging, logger, registry }) => {
      const transactions = messaging.transactions(
        inventoryUnitOfWork(sequelize, { preparedStatements: config.DATABASE_PREPARED_STATEMENTS }),
      );
      const catalog = new Catalog(transactions);
      const reconcile = new ReconcileStock(transactions);
      const reconciliation = new PeriodicReconciliation(
        transactions,
        reconcile,
        prometheusReconciliationObserver(registry, logger),
        config.STOCK_RECONCILIATION_INTERVAL_MS,
      );
      let rounds: Repeating | undefined;
      return {
        router: productRouter(catalog, reconcile, config.ADMIN_TOKEN),
        mapError: productProblem,
        events: transactions.subscribe(
          inventoryEventHandlers(
            new StockSaga(config.CURRENCY, systemClock, prometheusStockMetrics(registry)),
          ),
        ),
        beforeStart: async () => {
          if (config.SEED_DEMO_CATALOG) {
            const added = await seedDemoCatalog(catalog);
            if (added > 0) logger.info({ added }, 'demo catalog seeded');
          }
          // Stock accuracy is known from the start, not only one interval later.
          await reconciliation.round();
          rounds = repeatEvery(config.STOCK_RECONCILIATION_INTERVAL_MS, () =>
            reconciliation.round(),
          );
        },
        beforeStop: async () => rounds?.stop(),
      };
    },
  );
}

export { loadInventoryConfig, InventoryConfigSchema } from './config';

if (require.main === module) {
  runService(
    'inventory-service',
    () => startInventoryService(loadInventoryConfig()),
    () => tracing.shutdown(),
  );
}
