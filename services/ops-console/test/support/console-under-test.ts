import crypto from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { serviceEnv } from '@shop/devstack';
import { loadInventoryConfig, startInventoryService } from '@shop/inventory-service';
import { loadNotificationConfig, startNotificationService } from '@shop/notification-service';
import { loadOrderConfig, startOrderService } from '@shop/order-service';
import { loadPaymentConfig, startPaymentService } from '@shop/payment-service';
import type { StartedService } from '@shop/service-kit';
import { Partitioners, createTestDatabase, testKafka, testStack, uniqueName } from '@shop/testkit';
import { loadConsoleConfig, startOpsConsole, type StartedConsole } from '../../src/main';

export const CONSOLE_ADMIN_TOKEN = 'console-test-admin-token-0123456789';

export interface ConsoleStackOptions {
  /** The console's own settings, over the test's. */
  readonly env?: Record<string, string>;
  /** payment-service's settings, over the test's: a gateway that is down, say. */
  readonly paymentEnv?: Record<string, string>;
}

/**
 * The four services in this process on the real stack (inventory consumes order-created, so a
 * malformed record there lands in its DLQ), and the console beside them on a fresh database of its
 * own, told where each service's API and database are.
 */
export class ConsoleUnderTest {
  private readonly running: StartedService[] = [];
  private readonly drops: Array<() => Promise<void>> = [];
  console!: StartedConsole;
  databaseUrl!: string;
  /** Each service's database, by the prefix it was created with (order, inventory, ...). */
  readonly serviceDatabases: Record<string, string> = {};
  private inventoryPort = 0;
  private orderPort = 0;
  private payment?: { service: StartedService; databaseUrl: string };

  static async start(options: ConsoleStackOptions = {}): Promise<ConsoleUnderTest> {
    const stack = new ConsoleUnderTest();
    try {
      await stack.startAll(options);
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  private readonly wiring = {
    bootstrapServers: testStack().endpoints().bootstrapServers,
    httpPort: 0,
    // The shared stack's backlog from other suites makes the services warn a lot: errors only.
    logLevel: 'error',
  };

  private async startAll(options: ConsoleStackOptions): Promise<void> {
    const wiring = this.wiring;
    const inventory = await this.launch('inventory', (url) =>
      startInventoryService(
        loadInventoryConfig(
          serviceEnv('inventory-service', {
            ...wiring,
            databaseUrl: url,
            adminToken: INVENTORY_TOKEN,
          }),
        ),
      ),
    );
    this.inventoryPort = inventory.service.port;
    const order = await this.launch('order', (url) =>
      startOrderService(
        loadOrderConfig(
          serviceEnv('order-service', {
            ...wiring,
            databaseUrl: url,
            inventoryPort: inventory.service.port,
          }),
        ),
      ),
    );
    this.orderPort = order.service.port;
    const payment = await this.launch('payment', (url) =>
      this.startPayments(url, options.paymentEnv ?? {}),
    );
    this.payment = payment;
    const notification = await this.launch('notification', (url) =>
      startNotificationService(
        loadNotificationConfig(serviceEnv('notification-service', { ...wiring, databaseUrl: url })),
      ),
    );
    const db = await createTestDatabase('console');
    this.drops.push(db.drop);
    this.databaseUrl = db.url;
    const at = (s: { service: StartedService }) => `http://127.0.0.1:${s.service.port}`;
    this.console = await startOpsConsole(
      loadConsoleConfig({
        HTTP_PORT: '0',
        KAFKA_BROKERS: wiring.bootstrapServers.join(','),
        DATABASE_URL: db.url,
        LOG_LEVEL: 'warn',
        ADMIN_TOKEN: CONSOLE_ADMIN_TOKEN,
        ORDER_SERVICE_URL: at(order),
        INVENTORY_SERVICE_URL: at(inventory),
        // payment-service's port changes when it is restarted: its backlog is not asked for.
        NOTIFICATION_SERVICE_URL: at(notification),
        ORDER_SERVICE_DATABASE_URL: order.databaseUrl,
        INVENTORY_SERVICE_DATABASE_URL: inventory.databaseUrl,
        PAYMENT_SERVICE_DATABASE_URL: payment.databaseUrl,
        NOTIFICATION_SERVICE_DATABASE_URL: notification.databaseUrl,
        ...options.env,
      }),
    );
  }

  private async launch(
    prefix: string,
    start: (databaseUrl: string) => Promise<StartedService>,
  ): Promise<{ service: StartedService; databaseUrl: string }> {
    const db = await createTestDatabase(prefix);
    this.drops.push(db.drop);
    this.serviceDatabases[prefix] = db.url;
    const service = await start(db.url);
    this.running.push(service);
    return { service, databaseUrl: db.url };
  }

  private startPayments(databaseUrl: string, env: Record<string, string>) {
    return startPaymentService(
      loadPaymentConfig(
        serviceEnv('payment-service', {
          ...this.wiring,
          databaseUrl,
          // A record the gateway fails is on the DLQ in a second, not in the default minutes.
          env: { KAFKA_RETRY_DELAYS_MS: '100,100,100', ...env },
        }),
      ),
    );
  }

  /** The cause fixed: payment-service started again, on its database, with these settings. */
  async restartPayments(env: Record<string, string> = {}): Promise<void> {
    const { service, databaseUrl } = this.payment!;
    this.running.splice(this.running.indexOf(service), 1);
    await service.stop();
    const restarted = await this.startPayments(databaseUrl, env);
    this.running.push(restarted);
    this.payment = { service: restarted, databaseUrl };
  }

  get url(): string {
    return `http://127.0.0.1:${this.console.port}`;
  }

  /** A product of its own, so the test's stock is not shared. */
  async addProduct(stock: number): Promise<string> {
    const id = uniqueName('SKU').toUpperCase();
    const res = await fetch(`http://127.0.0.1:${this.inventoryPort}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INVENTORY_TOKEN}` },
      body: JSON.stringify({ id, name: `Test ${id}`, priceCents: 1_000, initialStock: stock }),
    });
    if (res.status !== 201) throw new Error(`could not add product: ${res.status}`);
    return id;
  }

  async placeOrder(productId: string): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.orderPort}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'alice', lines: [{ productId, quantity: 1 }] }),
    });
    if (res.status !== 201) throw new Error(`order refused: ${res.status}`);
    return ((await res.json()) as { id: string }).id;
  }

  async stop(): Promise<void> {
    await this.console?.stop();
    for (const service of this.running.reverse()) await service.stop();
    for (const drop of this.drops) await drop();
  }
}

const INVENTORY_TOKEN = 'console-test-inventory-token-0123';

/** A trace context as the services' tracing writes it, so a step's trace id can be checked. */
export function traceparent(): { header: string; traceId: string } {
  const traceId = crypto.randomBytes(16).toString('hex');
  return { header: `00-${traceId}-${crypto.randomBytes(8).toString('hex')}-01`, traceId };
}

/** Writes a record no consumer can decode onto a topic, as a broken producer would. */
export async function poison(
  topic: string,
  key: string,
  value: string,
  headers: IHeaders = {},
): Promise<void> {
  const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key, value, headers }] });
  } finally {
    await producer.disconnect();
  }
}
