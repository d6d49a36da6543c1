import { tracing } from './instrumentation';
import {
  repeatEvery,
  runService,
  startService,
  type Repeating,
  type StartedService,
} from '@shop/service-kit';
import { CancelOrder } from './application/cancel-order';
import { systemClock } from './application/clock';
import { OrderQueries } from './application/order-queries';
import { OrderSaga } from './application/order-saga';
import { PlaceOrder } from './application/place-order';
import type { ProductCatalog } from './application/ports';
import { RememberedProducts } from './application/remembered-products';
import { SagaDeadlineSweep } from './application/saga-deadlines';
import { StuckSagaQuery } from './application/stuck-sagas';
import { orderEventHandlers } from './adapters/messaging/order-events.listener';
import { prometheusDeadlineMetrics } from './adapters/metrics/prometheus-deadline-metrics';
import { prometheusOrderMetrics } from './adapters/metrics/prometheus-order-metrics';
import { ORDER_MIGRATIONS } from './adapters/persistence/migrations';
import { orderUnitOfWork } from './adapters/persistence/sql-order-store';
import { InventoryCatalogClient } from './adapters/web/inventory-catalog.client';
import { orderProblem, orderRouter } from './adapters/web/order.http';
import { loadOrderConfig, type OrderConfig } from './config';

/** Orders one sweep transaction moves at most; a sweep takes batches until none is left. */
const DEADLINE_SWEEP_BATCH = 100;

/** The composition root: every adapter of order-service is built and wired here, and nowhere else. */
export function startOrderService(config: OrderConfig): Promise<StartedService> {
  return startService(
    'order-service',
    config,
    ORDER_MIGRATIONS,
    ({ sequelize, messaging, registry, logger }) => {
      const metrics = prometheusOrderMetrics(registry);
      const transactions = messaging.transactions(
        orderUnitOfWork(sequelize, { preparedStatements: config.DATABASE_PREPARED_STATEMENTS }),
      );
      const sagaDeadlines = {
        PENDING: config.ORDER_DEADLINE_PENDING_MS,
        CONFIRMED: config.ORDER_DEADLINE_CONFIRMED_MS,
        CANCELLING: config.ORDER_DEADLINE_CANCELLING_MS,
      };
      const deadlines = new SagaDeadlineSweep(
        transactions,
        systemClock,
        sagaDeadlines,
        prometheusDeadlineMetrics(registry, logger),
        DEADLINE_SWEEP_BATCH,
      );
      let sweeps: Repeating | undefined;
      return {
        router: orderRouter({
          placeOrder: new PlaceOrder(transactions, productCatalog(config), systemClock, metrics),
          cancelOrder: new CancelOrder(transactions, systemClock),
          queries: new OrderQueries(transactions),
          stuckSagas: new StuckSagaQuery(transactions, systemClock, sagaDeadlines),
        }),
        mapError: orderProblem,
        events: transactions.subscribe(orderEventHandlers(new OrderSaga(systemClock, metrics))),
        beforeStart: async () => {
          await deadlines.sweep();
          sweeps = repeatEvery(config.ORDER_DEADLINE_SWEEP_INTERVAL_MS, () => deadlines.sweep());
        },
        beforeStop: async () => sweeps?.stop(),
      };
    },
  );
}

function productCatalog(config: OrderConfig): ProductCatalog {
  const inventory = new InventoryCatalogClient(config.INVENTORY_URL);
  return config.CATALOG_CACHE_TTL_MS > 0
    ? new RememberedProducts(inventory, systemClock, config.CATALOG_CACHE_TTL_MS)
    : inventory;
}

export { loadOrderConfig, OrderConfigSchema } from './config';

if (require.main === module) {
  runService(
    'order-service',
    () => startOrderService(loadOrderConfig()),
    () => tracing.shutdown(),
  );
}
