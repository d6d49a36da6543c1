import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { serviceEnv, type ServiceWiring } from '@shop/devstack';
import { loadInventoryConfig, startInventoryService } from '@shop/inventory-service';
import { loadNotificationConfig, startNotificationService } from '@shop/notification-service';
import { loadOrderConfig, startOrderService } from '@shop/order-service';
import { loadPaymentConfig, startPaymentService } from '@shop/payment-service';
import type { StartedService } from '@shop/service-kit';
import {
  createTestDatabase,
  metricValue,
  eventually,
  testKafka,
  testStack,
  uniqueName,
  Partitioners,
} from '@shop/testkit';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface HttpResult<T = Record<string, unknown>> {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: T;
}

interface RunningPart {
  readonly service: StartedService;
  readonly databaseUrl: string;
  readonly dropDatabase: () => Promise<void>;
}

export type ServiceKey = 'order' | 'inventory' | 'payment' | 'notification';

export interface SystemOptions {
  /** Which services to run; all four by default. */
  readonly services?: readonly ServiceKey[];
  /** Extra environment for payment-service, set over its wiring, e.g. GATEWAY_LATENCY_MS. */
  readonly gateway?: Record<string, string>;
  /** Extra environment for order-service, e.g. its saga deadlines. */
  readonly order?: Record<string, string>;
  /** order-service processes sharing its database and consumer group; 1 by default. */
  readonly orderReplicas?: number;
}

/**
 * The four services running in this process against the real stack, each with a fresh
 * database, on ephemeral ports, with their real consumer groups.
 */
export class TestSystem {
  private readonly parts = new Map<string, RunningPart>();
  /** Further replicas of a service, on its database: stopped first. */
  private readonly replicas: StartedService[] = [];
  private producer: Producer | undefined;

  static async start(options: SystemOptions = {}): Promise<TestSystem> {
    const system = new TestSystem();
    const common = {
      bootstrapServers: testStack().endpoints().bootstrapServers,
      httpPort: 0,
      logLevel: 'warn',
      env: { KAFKA_RETRY_DELAYS_MS: '200,500,1000' },
    };
    const inventory = await system.launch(
      'inventory',
      { ...common, adminToken: ADMIN_TOKEN },
      (env) => startInventoryService(loadInventoryConfig(env)),
    );
    const orderWiring = {
      ...common,
      inventoryPort: inventory.port,
      env: { ...common.env, ...options.order },
    };
    await system.launch('order', orderWiring, (env) => startOrderService(loadOrderConfig(env)));
    for (let i = 1; i < (options.orderReplicas ?? 1); i++) {
      const env = serviceEnv('order-service', {
        ...orderWiring,
        databaseUrl: system.part('order').databaseUrl,
      });
      system.replicas.push(await startOrderService(loadOrderConfig(env)));
    }
    const wanted = new Set(options.services ?? ['inventory', 'order', 'payment', 'notification']);
    if (!wanted.has('payment')) return system;
    await system.launch(
      'payment',
      { ...common, gatewayLatencyMs: 0, env: { ...common.env, ...options.gateway } },
      (env) => startPaymentService(loadPaymentConfig(env)),
    );
    if (!wanted.has('notification')) return system;
    await system.launch('notification', common, (env) =>
      startNotificationService(loadNotificationConfig(env)),
    );
    return system;
  }

  /** Starts a service on a fresh database, its environment derived as for a spawned service. */
  private async launch(
    key: ServiceKey,
    wiring: Omit<ServiceWiring, 'databaseUrl'>,
    start: (env: Record<string, string>) => Promise<StartedService>,
  ): Promise<StartedService> {
    const db = await createTestDatabase(key);
    const service = await start(serviceEnv(`${key}-service`, { ...wiring, databaseUrl: db.url }));
    this.parts.set(key, { service, databaseUrl: db.url, dropDatabase: db.drop });
    return service;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    for (const replica of this.replicas) await replica.stop();
    for (const part of [...this.parts.values()].reverse()) {
      await part.service.stop();
      await part.dropDatabase();
    }
  }

  url(service: ServiceKey, path: string): string {
    return `http://127.0.0.1:${this.part(service).service.port}${path}`;
  }

  registry(service: ServiceKey) {
    return this.part(service).service.registry;
  }

  async request<T = Record<string, unknown>>(
    service: ServiceKey,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const raw = typeof body === 'string' || Buffer.isBuffer(body);
    const response = await fetch(this.url(service, path), {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: tests assert on that themselves
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: parsed as T,
    };
  }

  async addProduct(stock: number, priceCents = 1_000): Promise<string> {
    const id = uniqueName('SKU').toUpperCase();
    const res = await this.request(
      'inventory',
      'POST',
      '/products',
      { id, name: `Test ${id}`, priceCents, initialStock: stock },
      {
        authorization: `Bearer ${ADMIN_TOKEN}`,
      },
    );
    if (res.status !== 201)
      throw new Error(`could not add product: ${res.status} ${JSON.stringify(res.body)}`);
    return id;
  }

  async product(id: string): Promise<{ available: number; reserved: number; sold: number }> {
    return (
      await this.request<{ available: number; reserved: number; sold: number }>(
        'inventory',
        'GET',
        `/products/${id}`,
      )
    ).body;
  }

  async placeOrder(
    lines: Array<{ productId: string; quantity: number }>,
    customerId = 'alice',
    paymentReference = 'tok_visa',
  ): Promise<string> {
    const res = await this.request<{ id: string }>('order', 'POST', '/orders', {
      customerId,
      lines,
      paymentMethod: { type: 'card', reference: paymentReference },
    });
    if (res.status !== 201)
      throw new Error(`order refused: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async order(id: string): Promise<OrderView> {
    return (await this.request<OrderView>('order', 'GET', `/orders/${id}`)).body;
  }

  async waitForStatus(id: string, statuses: string[], timeoutMs = 30_000): Promise<OrderView> {
    let last: OrderView | undefined;
    await eventually(
      async () => statuses.includes((last = await this.order(id)).status),
      timeoutMs,
      `order ${id} to be ${statuses.join('|')}`,
    );
    return last!;
  }

  /** The templates of the notifications recorded for an order. */
  async notificationTemplates(orderId: string): Promise<string[]> {
    const res = await this.request<{ items: Array<{ template: string }> }>(
      'notification',
      'GET',
      `/notifications?orderId=${orderId}`,
    );
    return res.body.items.map((n) => n.template);
  }

  async waitForNotification(orderId: string, template: string): Promise<void> {
    await eventually(
      async () => (await this.notificationTemplates(orderId)).includes(template),
      30_000,
      `the ${template} notification for order ${orderId}`,
    );
  }

  /** Rows of a service's database, for asserting on what was (not) written. */
  async query<T>(service: ServiceKey, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.part(service).databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Puts raw bytes on a topic, as a duplicate delivery or a reordering would. */
  async produce(topic: string, key: string, value: string): Promise<void> {
    if (!this.producer) {
      this.producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
    }
    await this.producer.send({ topic, acks: -1, messages: [{ key, value }] });
  }

  counter(service: ServiceKey, name: string, labels: Record<string, string>): Promise<number> {
    return metricValue(this.registry(service), name, labels);
  }

  databaseUrl(service: ServiceKey): string {
    return this.part(service).databaseUrl;
  }

  databaseUrls(): Record<ServiceKey, string> {
    return {
      order: this.part('order').databaseUrl,
      inventory: this.part('inventory').databaseUrl,
      payment: this.part('payment').databaseUrl,
      notification: this.part('notification').databaseUrl,
    };
  }

  private part(service: string): RunningPart {
    const part = this.parts.get(service);
    if (!part) throw new Error(`${service} is not running`);
    return part;
  }
}

export interface OrderView {
  id: string;
  status: string;
  amountCents: number | null;
  cancellationReason: string | null;
  shortLines: Array<{ productId: string; requested: number; available: number }> | null;
  history: Array<{ from: string | null; to: string; cause: string }>;
}
