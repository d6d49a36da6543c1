import http from 'node:http';
import type Router from '@koa/router';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';
import type { ServiceName } from '@shop/contracts';
import type { EventSubscription, Migration } from '@shop/messaging';
import {
  KAFKA_CONNECTION_METRICS,
  createLogger,
  scrapedGauge,
  type Logger,
} from '@shop/observability';
import { messagingSettingsOf, type ServiceEnv } from './config';
import { createSequelize, migrate } from './database';
import { createHttpApp, type HttpAppOptions } from './http/app';
import { ServiceMessaging } from './messaging';
import { closeServer, listen, type RunningService } from './runtime';

/** What a service's composition root gets to build its adapters from. */
export interface ServiceInfrastructure {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly sequelize: Sequelize;
  readonly messaging: ServiceMessaging;
}

/** What the composition root hands back: its HTTP routes, error mapping and consumed events. */
export interface ServiceParts {
  readonly router: Router;
  readonly mapError?: HttpAppOptions['mapError'];
  /** Built with `messaging.transactions(...).subscribe(handlers)`: one unit of work for both ways in. */
  readonly events?: EventSubscription;
  /** Runs after migrations, before the service takes traffic (e.g. seeding demo data). */
  readonly beforeStart?: () => Promise<void>;
  /** Runs first on shutdown, while the database is still open (e.g. stopping a periodic job). */
  readonly beforeStop?: () => Promise<void>;
}

export interface StartedService extends RunningService {
  readonly port: number;
  readonly registry: Registry;
}

/**
 * Starts a service the same way for all four: logger, metrics, database and migrations, the
 * messaging kit, the HTTP app with health and metrics; stops it in the reverse order.
 */
export async function startService(
  service: ServiceName,
  config: ServiceEnv,
  migrations: readonly Migration[],
  compose: (infra: ServiceInfrastructure) => ServiceParts,
): Promise<StartedService> {
  const logger = createLogger(service, config.LOG_LEVEL);
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const sequelize = createSequelize(config.DATABASE_URL, config.DATABASE_POOL_MAX, logger);
  await migrate(config.DATABASE_URL, sequelize, migrations);
  const messaging = new ServiceMessaging({
    service,
    settings: messagingSettingsOf(service, config),
    sequelize,
    logger,
    registry,
    startupTimeoutMs: config.KAFKA_STARTUP_TIMEOUT_MS,
  });

  scrapedGauge(registry, KAFKA_CONNECTION_METRICS.connected, async () =>
    (await messaging.ready()) ? 1 : 0,
  );

  const parts = compose({ logger, registry, sequelize, messaging });
  if (parts.events) messaging.consume(parts.events);
  await parts.beforeStart?.();

  const app = createHttpApp({
    logger,
    registry,
    router: parts.router,
    mapError: parts.mapError,
    readiness: [{ name: 'database', check: async () => (await sequelize.query('SELECT 1'), true) }],
    reported: [{ name: 'kafka', check: () => messaging.ready() }],
  });
  await messaging.start();
  const server = http.createServer(app.callback());
  await listen(server, config.HTTP_PORT);
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, `${service} listening`);

  return {
    logger,
    registry,
    port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    async stop() {
      await parts.beforeStop?.();
      await closeServer(server);
      logger.info('HTTP closed: in-flight requests answered');
      await messaging.stop();
      logger.info('messaging stopped: records in hand committed, outbox relay idle');
      await closeDatabase(sequelize, logger);
    },
  };
}

/** Longer than closing idle connections takes; shorter than any sensible shutdown bound. */
const DATABASE_CLOSE_MS = 2_000;

/**
 * Closes the pool, but never lets it eat the shutdown bound: once HTTP and messaging have stopped
 * nothing holds a connection, yet the pool's drain was seen waiting ~8 s in the chaos run (its idle
 * bookkeeping, with nothing in use), which pushed a SIGTERM past its bound. Closing the process
 * closes the sockets anyway.
 */
async function closeDatabase(sequelize: Sequelize, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    sequelize.close().then(() => true),
    new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), DATABASE_CLOSE_MS)),
    ),
  ]).finally(() => clearTimeout(timer));
  if (closed) logger.info('database closed');
  else
    logger.warn(
      { waitedMs: DATABASE_CLOSE_MS },
      'database pool still draining; leaving it to the exit',
    );
}
