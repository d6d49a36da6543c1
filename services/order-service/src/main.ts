import http from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createLogger } from '@shop/observability';
import {
  ServiceMessaging,
  closeServer,
  createHttpApp,
  createSequelize,
  listen,
  messagingSettingsOf,
  migrate,
  runService,
  type RunningService,
} from '@shop/service-kit';
import { CancelOrder } from './application/cancel-order';
import { systemClock } from './application/clock';
import { OrderQueries } from './application/order-queries';
import { OrderSaga } from './application/order-saga';
import { PlaceOrder } from './application/place-order';
import { orderEventHandlers } from './adapters/messaging/order-events.listener';
import { ORDER_MIGRATIONS } from './adapters/persistence/migrations';
import { SequelizeOrderStore } from './adapters/persistence/sequelize-order-store';
import { InventoryCatalogClient } from './adapters/web/inventory-catalog.client';
import { orderProblem, orderRouter } from './adapters/web/order.http';
import { loadOrderConfig, type OrderConfig } from './config';

const SERVICE = 'order-service';

export interface OrderService extends RunningService {
  readonly port: number;
}

/** The composition root: every adapter is built and wired here, and nowhere else. */
export async function startOrderService(config: OrderConfig): Promise<OrderService> {
  const logger = createLogger(SERVICE, config.LOG_LEVEL);
  const registry = new Registry();
  registry.setDefaultLabels({ service: SERVICE });
  collectDefaultMetrics({ register: registry });

  const sequelize = createSequelize(config.DATABASE_URL, config.DATABASE_POOL_MAX, logger);
  await migrate(sequelize, ORDER_MIGRATIONS);

  const messaging = new ServiceMessaging({
    service: SERVICE,
    settings: messagingSettingsOf(SERVICE, config),
    sequelize,
    logger,
    registry,
  });
  const store = new SequelizeOrderStore(sequelize, messaging.outbox, () =>
    messaging.relay.notify(),
  );
  messaging.consume(orderEventHandlers(new OrderSaga(), store));

  const app = createHttpApp({
    logger,
    registry,
    router: orderRouter({
      placeOrder: new PlaceOrder(
        store,
        new InventoryCatalogClient(config.INVENTORY_URL),
        systemClock,
      ),
      cancelOrder: new CancelOrder(store, systemClock),
      queries: new OrderQueries(store),
    }),
    mapError: orderProblem,
    readiness: [
      { name: 'database', check: async () => (await sequelize.query('SELECT 1'), true) },
      { name: 'kafka', check: async () => messaging.ready() },
    ],
  });

  await messaging.start();
  const server = http.createServer(app.callback());
  await listen(server, config.HTTP_PORT);
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, 'order-service listening');

  return {
    logger,
    port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    async stop() {
      await closeServer(server);
      await messaging.stop();
      await sequelize.close();
    },
  };
}

if (require.main === module) {
  runService(SERVICE, () => startOrderService(loadOrderConfig()));
}
