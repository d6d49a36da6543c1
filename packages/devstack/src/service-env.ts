import { serviceSettingOf, type ServiceName } from '@shop/contracts';
import type { KafkaSecurity } from './config';
import { StackError } from './errors';

/** The operations console: deployed beside the services, but no participant in the saga. */
export const OPS_CONSOLE = 'ops-console';

/** What runs on this machine as a process of its own: the four services and the console. */
export type Deployable = ServiceName | typeof OPS_CONSOLE;

/** What a service running on this machine is told about the system around it. */
export interface ServiceWiring {
  /** Kafka as the services reach it. */
  readonly bootstrapServers: readonly string[];
  /** The service's own database. */
  readonly databaseUrl: string;
  /** The port it listens on; 0 lets it take a free one and name it in its `listening` log line. */
  readonly httpPort: number;
  /** Where inventory-service listens, for order-service, which asks it for prices. */
  readonly inventoryPort?: number;
  /**
   * Where each service listens, for the console: order-service's is required (each order's
   * state), the others' feed the timeline's notifications and the outbox backlog.
   */
  readonly servicePorts?: Readonly<Partial<Record<ServiceName, number>>>;
  /** Each service's database, for the console's read-only outbox and processed-events rows. */
  readonly serviceDatabaseUrls?: Readonly<Partial<Record<ServiceName, string>>>;
  /** inventory-service's token for its admin endpoints (restock, new products); the console's sign-in. */
  readonly adminToken?: string;
  /** inventory-service starts with the demo catalog, so there is something to order. */
  readonly seedDemoCatalog?: boolean;
  /** payment-service's simulated gateway latency; the service's own default otherwise. */
  readonly gatewayLatencyMs?: number;
  /** A secured stack's SCRAM users: each service connects as its own. */
  readonly kafkaSecurity?: KafkaSecurity;
  /** The service's own default (or the caller's LOG_LEVEL) otherwise. */
  readonly logLevel?: string;
  /** Set last, over everything above: a test's tracing endpoint, a chaos run's short retry tiers. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The environment variables a service reads, from the wiring of the system it runs in. */
export function serviceEnv(service: Deployable, wiring: ServiceWiring): Record<string, string> {
  return {
    HTTP_PORT: String(wiring.httpPort),
    KAFKA_BROKERS: wiring.bootstrapServers.join(','),
    DATABASE_URL: wiring.databaseUrl,
    ...(wiring.logLevel === undefined ? {} : { LOG_LEVEL: wiring.logLevel }),
    ...kafkaUser(service, wiring.kafkaSecurity),
    ...ownSettings(service, wiring),
    ...wiring.env,
  };
}

function ownSettings(service: Deployable, wiring: ServiceWiring): Record<string, string> {
  switch (service) {
    case 'order-service':
      if (wiring.inventoryPort === undefined)
        throw new StackError("order-service needs inventory-service's port (inventoryPort)");
      return { INVENTORY_URL: `http://127.0.0.1:${wiring.inventoryPort}` };
    case 'inventory-service':
      if (wiring.adminToken === undefined)
        throw new StackError('inventory-service needs an admin token (adminToken)');
      return {
        ADMIN_TOKEN: wiring.adminToken,
        ...(wiring.seedDemoCatalog ? { SEED_DEMO_CATALOG: 'true' } : {}),
      };
    case 'payment-service':
      return wiring.gatewayLatencyMs === undefined
        ? {}
        : { GATEWAY_LATENCY_MS: String(wiring.gatewayLatencyMs) };
    case 'notification-service':
      return {};
    case OPS_CONSOLE:
      if (wiring.adminToken === undefined || wiring.servicePorts?.['order-service'] === undefined)
        throw new StackError(
          "the console needs an admin token and order-service's port (servicePorts)",
        );
      return { ADMIN_TOKEN: wiring.adminToken, ...consoleSources(wiring) };
  }
}

/** ORDER_SERVICE_URL, ORDER_SERVICE_DATABASE_URL and so on, for each service the wiring names. */
function consoleSources(wiring: ServiceWiring): Record<string, string> {
  return Object.fromEntries([
    ...Object.entries(wiring.servicePorts ?? {}).map(([service, port]) => [
      serviceSettingOf(service as ServiceName, 'URL'),
      `http://127.0.0.1:${port}`,
    ]),
    ...Object.entries(wiring.serviceDatabaseUrls ?? {}).map(([service, url]) => [
      serviceSettingOf(service as ServiceName, 'DATABASE_URL'),
      url,
    ]),
  ]);
}

/** Each service, and the console, as its own SCRAM user. */
function kafkaUser(
  service: Deployable,
  security: KafkaSecurity | undefined,
): Record<string, string> {
  if (!security) return {};
  const user = service === OPS_CONSOLE ? security.console : security.users[service];
  return {
    KAFKA_SASL_MECHANISM: security.mechanism,
    KAFKA_SASL_USERNAME: user.username,
    KAFKA_SASL_PASSWORD: user.password,
  };
}
