import http from 'node:http';
import { Pool } from 'pg';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { DeadLetterStore, ReliableProducer, createKafka, messagingSettings } from '@shop/messaging';
import { serviceSettingOf } from '@shop/contracts';
import { createLogger } from '@shop/observability';
import {
  closeServer,
  kafkaSecurityOf,
  listen,
  runService,
  type RunningService,
} from '@shop/service-kit';
import { DeadLetters } from './application/dead-letters';
import { OrderTimelines } from './application/order-timeline';
import { Redrive } from './application/redrive';
import { SystemHealthReport } from './application/system-health';
import { DeadLetterFeed } from './adapters/messaging/dead-letter-feed';
import { KafkaLag } from './adapters/messaging/kafka-lag';
import { KafkaOrderRecords } from './adapters/messaging/kafka-order-records';
import { KafkaRedriver } from './adapters/messaging/kafka-redriver';
import { HttpOrders } from './adapters/orders/http-orders';
import { HttpNotifications } from './adapters/services/http-notifications';
import { ScrapedOutboxBacklog } from './adapters/services/scraped-outbox-backlog';
import { SqlServiceTables } from './adapters/services/sql-service-tables';
import { migrate } from './adapters/persistence/migrations';
import { SqlReplayLog } from './adapters/persistence/sql-replay-log';
import { createConsoleApp } from './adapters/web/app';
import { consoleRouter } from './adapters/web/console.http';
import { CookieSigner } from './adapters/web/cookie-signer';
import { loadConsoleConfig, perService, type ConsoleConfig } from './config';

const HOUR_MS = 3_600_000;

export interface StartedConsole extends RunningService {
  readonly port: number;
}

/** The composition root: every adapter of the console is built and wired here, and nowhere else. */
export async function startOpsConsole(config: ConsoleConfig): Promise<StartedConsole> {
  const logger = createLogger('ops-console', config.LOG_LEVEL);
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'ops-console' });
  collectDefaultMetrics({ register: registry });

  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    application_name: 'ops-console',
  });
  await migrate(pool);

  const settings = messagingSettings({
    brokers: config.KAFKA_BROKERS,
    clientId: 'ops-console',
    security: kafkaSecurityOf(config),
  });
  const kafka = createKafka(settings, logger);
  const feed = new DeadLetterFeed(kafka, logger);
  const producer = new ReliableProducer(kafka, settings);
  try {
    await producer.connect();
    await feed.start();
  } catch (err) {
    // Refused credentials or no cluster: nothing opened here outlives the failed start.
    await feed.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await pool.end();
    throw err;
  }

  const orders = new HttpOrders(config.ORDER_SERVICE_URL);
  const serviceTables = new SqlServiceTables(perService(config, 'DATABASE_URL'), (s) =>
    serviceSettingOf(s, 'DATABASE_URL'),
  );
  const replays = new SqlReplayLog(pool);
  const maxReplays = config.DLQ_MAX_REPLAYS;
  const signer = new CookieSigner(config.ADMIN_TOKEN);
  const cookies = { secure: config.CONSOLE_SECURE_COOKIES };
  const router = consoleRouter(
    {
      deadLetters: new DeadLetters(feed, orders, maxReplays),
      redrive: new Redrive(
        new KafkaRedriver(feed, new DeadLetterStore(kafka), producer),
        replays,
        maxReplays,
      ),
      replays,
      timelines: new OrderTimelines(
        {
          orders,
          records: new KafkaOrderRecords(kafka, config.CONSOLE_TIMELINE_MAX_RECORDS),
          tables: serviceTables,
          notifications: new HttpNotifications(config.NOTIFICATION_SERVICE_URL),
        },
        config.CONSOLE_TIMELINE_WINDOW_HOURS * HOUR_MS,
      ),
      orders,
      health: new SystemHealthReport(
        new KafkaLag(kafka),
        feed,
        new ScrapedOutboxBacklog(perService(config, 'URL'), (s) => serviceSettingOf(s, 'URL')),
        maxReplays,
      ),
    },
    {
      signer,
      adminToken: config.ADMIN_TOKEN,
      cookies,
      sessionMs: config.CONSOLE_SESSION_HOURS * HOUR_MS,
    },
  );
  const app = createConsoleApp({
    logger,
    registry,
    signer,
    cookies,
    router,
    ready: async () => (await pool.query('SELECT 1'), true),
  });
  const server = http.createServer(app.callback());
  await listen(server, config.HTTP_PORT);
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, 'ops-console listening');

  return {
    logger,
    port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    async stop() {
      await closeServer(server);
      await feed.stop();
      await producer.disconnect();
      await serviceTables.close();
      await pool.end();
    },
  };
}

export { ConsoleConfigSchema, loadConsoleConfig } from './config';

if (require.main === module) {
  runService('ops-console', () => startOpsConsole(loadConsoleConfig()));
}
