import crypto from 'node:crypto';
import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { createEnvelope, topicOfEvent } from '@shop/contracts';
import { serviceEnv } from '@shop/devstack';
import type { StartedService } from '@shop/service-kit';
import {
  Partitioners,
  createTestDatabase,
  eventually,
  metricValue,
  testKafka,
  testStack,
} from '@shop/testkit';
import type { Notification } from '../src/domain/notification';
import type { NotificationSender } from '../src/application/ports';
import { loadNotificationConfig, startNotificationService } from '../src/main';

/**
 * The e-mail provider's side: it takes every send, and drops one whose idempotency key it has
 * seen, so the customer's inbox holds each notification once however often it was sent.
 */
class Provider {
  readonly sends: Array<{ key: string; by: string }> = [];
  readonly inbox = new Map<string, Notification>();

  /** A replica's connection to the provider; `before` runs first and may throw, as a network does. */
  sender(by: string, before: (n: Notification) => Promise<void> = async () => undefined) {
    const sender: NotificationSender = {
      send: async (notification, key) => {
        await before(notification);
        this.sends.push({ key, by });
        if (!this.inbox.has(key)) this.inbox.set(key, notification);
      },
    };
    return () => sender;
  }

  /** What the customer of `orderId` finds in the inbox. */
  received(orderId: string): Notification[] {
    return [...this.inbox.values()].filter((n) => n.orderId === orderId);
  }
}

describe('notification delivery on PostgreSQL and Kafka', () => {
  let producer: Producer;
  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;
  const running: StartedService[] = [];

  beforeAll(async () => {
    producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });
  afterAll(() => producer.disconnect());
  beforeEach(async () => {
    ({ url: databaseUrl, drop: dropDatabase } = await createTestDatabase('notification-delivery'));
  });
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop();
    await dropDatabase();
  });

  async function start(
    sender: () => NotificationSender,
    settings: Record<string, string> = {},
  ): Promise<StartedService> {
    const env = serviceEnv('notification-service', {
      bootstrapServers: testStack().endpoints().bootstrapServers,
      databaseUrl,
      httpPort: 0,
      logLevel: 'fatal',
      env: {
        KAFKA_RETRY_DELAYS_MS: '200,500,1000',
        NOTIFICATION_DELIVERY_INTERVAL_MS: '100',
        NOTIFICATION_DELIVERY_BATCH_SIZE: '5',
        NOTIFICATION_RETRY_FIRST_DELAY_MS: '200',
        NOTIFICATION_RETRY_MAX_DELAY_MS: '400',
        NOTIFICATION_MAX_ATTEMPTS: '100',
        ...settings,
      },
    });
    const service = await startNotificationService(loadNotificationConfig(env), { sender });
    running.push(service);
    return service;
  }

  async function stop(service: StartedService): Promise<void> {
    running.splice(running.indexOf(service), 1);
    await service.stop();
  }

  /** Announces a new order on its topic, as order-service does; returns the order id. */
  async function orderCreated(orderId: string = crypto.randomUUID()): Promise<string> {
    const event = createEnvelope(
      'OrderCreated',
      orderId,
      {
        orderId,
        customerId: 'alice',
        lines: [{ productId: 'A', quantity: 1 }],
        paymentMethod: { type: 'card', reference: 'tok_visa' },
      },
      { correlationId: orderId, causationId: orderId },
    );
    await producer.send({
      topic: topicOfEvent('OrderCreated'),
      acks: -1,
      messages: [{ key: orderId, value: JSON.stringify(event) }],
    });
    return orderId;
  }

  /** What `GET /notifications` tells about the order's notifications. */
  async function listed(service: StartedService, orderId: string) {
    const response = await fetch(
      `http://127.0.0.1:${service.port}/notifications?orderId=${orderId}`,
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Array<Record<string, unknown>> }).items;
  }

  async function rows(orderIds: string[]) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (
        await client.query<{ id: string; status: string; attempts: number }>(
          'SELECT id, status, attempts FROM notifications WHERE order_id = ANY($1::uuid[])',
          [orderIds],
        )
      ).rows;
    } finally {
      await client.end();
    }
  }

  it('delivers, from the next instance, a notification whose send broke off after the commit', async () => {
    const provider = new Provider();
    // The first instance records the notification, then never gets it to the provider: the
    // network is down, and the instance goes away before it comes back.
    let tries = 0;
    const first = await start(
      provider.sender('first', async () => {
        tries++;
        throw new Error('connect ECONNREFUSED');
      }),
    );
    const orderId = await orderCreated();
    await eventually(() => tries > 0, 30_000, 'the first instance to try');
    await stop(first);
    expect(provider.received(orderId)).toEqual([]);

    const next = await start(provider.sender('next'));
    await eventually(
      () => provider.received(orderId).length > 0,
      30_000,
      'the notification to reach the customer',
    );
    await eventually(async () => (await rows([orderId]))[0]?.status === 'SENT', 10_000, 'SENT');
    const [row] = await rows([orderId]);
    expect(provider.received(orderId)).toEqual([
      expect.objectContaining({ id: row!.id, template: 'order-received' }),
    ]);
    // The shared group may hand these instances other suites' unread events too: only this
    // order's notification is judged, and the counters by what the provider saw.
    expect(provider.sends.filter((s) => s.key === row!.id)).toEqual([{ key: row!.id, by: 'next' }]);
    const count = (service: StartedService, name: string) =>
      metricValue(service.registry, name, { template: 'order-received' });
    expect(await count(first, 'notifications_send_errors_total')).toBeGreaterThanOrEqual(1);
    expect(await count(next, 'notifications_sent_total')).toBeGreaterThanOrEqual(1);
  });

  it('sends again, under the same key, a send the provider took but whose answer was lost', async () => {
    const provider = new Provider();
    const orderId = crypto.randomUUID();
    let lost = 0;
    const lossy: NotificationSender = {
      send: async (notification, key) => {
        await provider.sender('lossy')().send(notification, key);
        // Taken, but we never hear of it (this order's first send only: the shared group may hand
        // this instance other suites' unread events too).
        if (notification.orderId === orderId && lost++ === 0) throw new Error('socket hang up');
      },
    };
    await start(() => lossy);
    await orderCreated(orderId);
    await eventually(async () => (await rows([orderId]))[0]?.status === 'SENT', 30_000, 'SENT');
    const [row] = await rows([orderId]);
    expect(row).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(await listed(running[0]!, orderId)).toEqual([
      expect.objectContaining({
        id: row!.id,
        template: 'order-received',
        status: 'SENT',
        attempts: 2,
        sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        lastError: null,
      }),
    ]);
    expect(provider.sends.filter((s) => s.key === row!.id)).toHaveLength(2);
    expect(provider.received(orderId)).toHaveLength(1); // the customer reads it once
  });

  it('gives a notification up as FAILED after its attempts, and says so on GET /notifications', async () => {
    const service = await start(
      () => ({
        send: async () => {
          throw new Error('mailbox unavailable');
        },
      }),
      { NOTIFICATION_MAX_ATTEMPTS: '2' },
    );
    const orderId = await orderCreated();
    await eventually(async () => (await rows([orderId]))[0]?.status === 'FAILED', 30_000, 'FAILED');
    expect(await listed(service, orderId)).toEqual([
      expect.objectContaining({
        orderId,
        template: 'order-received',
        status: 'FAILED',
        attempts: 2,
        sentAt: null,
        lastError: 'mailbox unavailable',
      }),
    ]);
    // At least this one: other suites' unread events in the shared group may fail here too.
    expect(
      await metricValue(service.registry, 'notifications_failed_total', {
        template: 'order-received',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('never sends a notification twice from two instances sharing the table', async () => {
    const provider = new Provider();
    // A slow provider: each instance holds its claims long enough for the other to come by.
    const slowly = () => new Promise<void>((r) => setTimeout(r, 15));
    await start(provider.sender('a', slowly));
    await start(provider.sender('b', slowly));
    const orderIds = await Promise.all(Array.from({ length: 40 }, orderCreated));
    await eventually(
      async () => (await rows(orderIds)).filter((r) => r.status === 'SENT').length === 40,
      60_000,
      'every notification SENT',
    );
    const ids = (await rows(orderIds)).map((r) => r.id);
    const mine = provider.sends.filter((s) => ids.includes(s.key));
    expect(mine).toHaveLength(40);
    expect(new Set(mine.map((s) => s.key)).size).toBe(40);
    // Both took part, or the test would prove nothing about sharing.
    expect(new Set(mine.map((s) => s.by))).toEqual(new Set(['a', 'b']));
  });
});
