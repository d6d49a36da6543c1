import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { loadInventoryConfig, startInventoryService } from '@shop/inventory-service';
import { loadOrderConfig, startOrderService } from '@shop/order-service';
import type { StartedService } from '@shop/service-kit';
import {
  createTestDatabase,
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

/**
 * order-service and inventory-service running in this process against the real stack, each
 * with a fresh database, on ephemeral ports, with their real consumer groups.
 */
export class TestSystem {
  private readonly parts = new Map<string, RunningPart>();
  private producer: Producer | undefined;

  static async start(): Promise<TestSystem> {
    const system = new TestSystem();
    const brokers = testStack().endpoints().bootstrapServers.join(',');
    const common = {
      HTTP_PORT: '0',
      KAFKA_BROKERS: brokers,
      LOG_LEVEL: 'warn',
      KAFKA_RETRY_DELAYS_MS: '200,500,1000',
    };

    const inventoryDb = await createTestDatabase('inventory');
    const inventory = await startInventoryService(
      loadInventoryConfig({ ...common, DATABASE_URL: inventoryDb.url, ADMIN_TOKEN }),
    );
    system.parts.set('inventory', {
      service: inventory,
      databaseUrl: inventoryDb.url,
      dropDatabase: inventoryDb.drop,
    });

    const orderDb = await createTestDatabase('orders');
    const order = await startOrderService(
      loadOrderConfig({
        ...common,
        DATABASE_URL: orderDb.url,
        INVENTORY_URL: `http://127.0.0.1:${inventory.port}`,
      }),
    );
    system.parts.set('order', {
      service: order,
      databaseUrl: orderDb.url,
      dropDatabase: orderDb.drop,
    });
    return system;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    for (const part of [...this.parts.values()].reverse()) {
      await part.service.stop();
      await part.dropDatabase();
    }
  }

  url(service: 'order' | 'inventory', path: string): string {
    return `http://127.0.0.1:${this.part(service).service.port}${path}`;
  }

  registry(service: 'order' | 'inventory') {
    return this.part(service).service.registry;
  }

  async request<T = Record<string, unknown>>(
    service: 'order' | 'inventory',
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
  ): Promise<string> {
    const res = await this.request<{ id: string }>('order', 'POST', '/orders', {
      customerId,
      lines,
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

  /** Rows of a service's database, for asserting on what was (not) written. */
  async query<T>(
    service: 'order' | 'inventory',
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
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

  async counter(
    service: 'order' | 'inventory',
    name: string,
    labels: Record<string, string>,
  ): Promise<number> {
    const metric = (await this.registry(service).getMetricsAsJSON()).find((m) => m.name === name);
    const values = (metric?.values ?? []) as Array<{
      labels: Record<string, string>;
      value: number;
    }>;
    return values
      .filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
      .reduce((s, v) => s + v.value, 0);
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
