import { tracing } from './instrumentation';
import { runService, startService, type StartedService } from '@shop/service-kit';
import { CancelOrder } from './application/cancel-order';
import { systemClock } from './application/clock';
import { OrderQueries } from './application/order-queries';
import { OrderSaga } from './application/order-saga';
import { PlaceOrder } from './application/place-order';
import type { ProductCatalog } from './application/ports';
import { RememberedProducts } from './application/remembered-products';
import { orderEventHandlers } from './adapters/messaging/order-events.listener';
import { prometheusOrderMetrics } from './adapters/metrics/prometheus-order-metrics';
import { ORDER_MIGRATIONS } from './adapters/persistence/migrations';
import { orderUnitOfWork } from './adapters/persistence/sql-order-store';
import { InventoryCatalogClient } from './adapters/web/inventory-catalog.client';
import { orderProblem, orderRouter } from './adapters/web/order.http';
import { loadOrderConfig, type OrderConfig } from './config';

/** The composition root: every adapter of order-service is built and wired here, and nowhere else. */
export function startOrderService(config: OrderConfig): Promise<StartedService> {
  return startService(
    'order-service',
    config,
    ORDER_MIGRATIONS,
    ({ sequelize, messaging, registry }) => {
      const metrics = prometheusOrderMetrics(registry);
      const transactions = messaging.transactions(
        orderUnitOfWork(sequelize, { preparedStatements: config.DATABASE_PREPARED_STATEMENTS }),
      );
      return {
        router: orderRouter({
          placeOrder: new PlaceOrder(transactions, productCatalog(config), systemClock, metrics),
          cancelOrder: new CancelOrder(transactions, systemClock),
          queries: new OrderQueries(transactions),
        }),
        mapError: orderProblem,
        events: transactions.subscribe(orderEventHandlers(new OrderSaga(systemClock, metrics))),
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
