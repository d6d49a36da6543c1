import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { consumerGroupOf, type ServiceName } from '@shop/contracts';
import { Stack, loadStackConfig, type StackConfig } from '@shop/devstack';
import { loadInventoryConfig, startInventoryService } from '@shop/inventory-service';
import { loadOrderConfig, startOrderService } from '@shop/order-service';
import type { StartedService } from '@shop/service-kit';
import { createTestDatabase, eventually } from '@shop/testkit';

/**
 * The secured local stack (SASL/SCRAM + StandardAuthorizer) with the same least-privilege ACLs
 * the cluster's KafkaUsers get: each service can do its job and nothing else.
 */
describe('Kafka with SCRAM users and ACLs', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-stack-'));
  fs.chmodSync(stateDir, 0o755);
  let config: StackConfig;
  let stack: Stack;

  const kafkaAs = (service: ServiceName, password?: string) => {
    const user = config.kafka.security!.users[service];
    return new Kafka({
      clientId: `acl-test-${service}`,
      brokers: stack.endpoints().bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      sasl: {
        mechanism: 'scram-sha-512',
        username: user.username,
        password: password ?? user.password,
      },
    });
  };

  const produceAs = async (service: ServiceName, topic: string) => {
    const producer = kafkaAs(service).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ key: 'k', value: 'v' }] });
    } finally {
      await producer.disconnect();
    }
  };

  const consumeAs = async (
    service: ServiceName,
    topic: string,
    groupId = consumerGroupOf(service),
  ) => {
    const consumer = kafkaAs(service).consumer({ groupId, retry: { retries: 0 } });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve());
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        consumer.run({ eachMessage: async () => undefined }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  };

  beforeAll(async () => {
    config = loadStackConfig({
      ...process.env,
      KAFKA_SECURE: 'true',
      KAFKA_NODES: '1',
      KAFKA_PORT_BASE: '24092',
      PG_PORT: '24432',
      DEVSTACK_DIR: stateDir,
    });
    stack = new Stack(config);
    await stack.up();
  }, 180_000);

  afterAll(async () => {
    await stack.down();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs order-service and inventory-service with their own users: an order gets CONFIRMED', async () => {
    const started: StartedService[] = [];
    const drops: Array<() => Promise<void>> = [];
    const credentials = (service: ServiceName) => ({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: config.kafka.security!.users[service].username,
      KAFKA_SASL_PASSWORD: config.kafka.security!.users[service].password,
    });
    const common = {
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: stack.endpoints().bootstrapServers.join(','),
    };
    try {
      const inventoryDb = await createTestDatabase('secure-inventory');
      drops.push(inventoryDb.drop);
      const inventory = await startInventoryService(
        loadInventoryConfig({
          ...common,
          ...credentials('inventory-service'),
          DATABASE_URL: inventoryDb.url,
          ADMIN_TOKEN: 'secure-admin-token-0123456',
        }),
      );
      started.push(inventory);
      const orderDb = await createTestDatabase('secure-order');
      drops.push(orderDb.drop);
      const order = await startOrderService(
        loadOrderConfig({
          ...common,
          ...credentials('order-service'),
          DATABASE_URL: orderDb.url,
          INVENTORY_URL: `http://127.0.0.1:${inventory.port}`,
        }),
      );
      started.push(order);

      await fetch(`http://127.0.0.1:${inventory.port}/products`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer secure-admin-token-0123456',
        },
        body: JSON.stringify({ id: 'SECURE-1', name: 'Secured', priceCents: 100, initialStock: 3 }),
      });
      const res = await fetch(`http://127.0.0.1:${order.port}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId: 'sam',
          lines: [{ productId: 'SECURE-1', quantity: 1 }],
        }),
      });
      const { id } = (await res.json()) as { id: string };
      await eventually(
        async () =>
          (
            (await (await fetch(`http://127.0.0.1:${order.port}/orders/${id}`)).json()) as {
              status: string;
            }
          ).status === 'CONFIRMED',
        150_000,
        'the order to be confirmed over SASL',
      );
    } finally {
      for (const s of started.reverse()) await s.stop();
      for (const drop of drops) await drop();
    }
  }, 240_000);

  it('lets each service read what it consumes in its own group and write what it produces', async () => {
    await consumeAs('inventory-service', 'order-created');
    await produceAs('inventory-service', 'stock-reserved');
    await produceAs('inventory-service', 'order-created-dlq');
    await produceAs('notification-service', 'order-created-dlq');
    await consumeAs('payment-service', 'payment-requested');
    await produceAs('payment-service', 'payment-refunded');
  });

  it.each([
    ['notification-service', 'payment-completed'],
    ['inventory-service', 'order-created'],
    ['order-service', 'stock-reserved'],
  ] as const)('refuses %s writing to %s', async (service, topic) => {
    await expect(produceAs(service, topic)).rejects.toThrow('Not authorized to access topics');
  });

  it('refuses inventory-service reading payment-requested, and joining another service group', async () => {
    await expect(consumeAs('inventory-service', 'payment-requested')).rejects.toThrow(
      /Not authorized to access topics|TOPIC_AUTHORIZATION_FAILED/,
    );
    // kafkajs reports the GROUP_AUTHORIZATION_FAILED answer to FindCoordinator this way; the same
    // user joins its own group above.
    await expect(
      consumeAs('inventory-service', 'order-created', consumerGroupOf('order-service')),
    ).rejects.toThrow(/group coordinator|GROUP_AUTHORIZATION_FAILED/i);
  });

  it('refuses a wrong password', async () => {
    const admin = kafkaAs('order-service', 'not-the-password').admin();
    await expect(admin.connect()).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed|Authentication failed/i,
    );
  });
});
