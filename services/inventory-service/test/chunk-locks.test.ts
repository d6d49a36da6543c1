import crypto from 'node:crypto';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { QueryTypes, Sequelize } from 'sequelize';
import { createEnvelope } from '@shop/contracts';
import {
  MessageConsumer,
  MessagingMetrics,
  Outbox,
  ReliableProducer,
  TransactionScopes,
  createKafka,
  createMigrator,
  messagingSettings,
} from '@shop/messaging';
import { createLogger } from '@shop/observability';
import {
  LogCapture,
  createTestDatabase,
  createTestTopic,
  eventually,
  testStack,
  uniqueName,
} from '@shop/testkit';
import { StockSaga } from '../src/application/stock-saga';
import { inventoryEventHandlers } from '../src/adapters/messaging/inventory-events.listener';
import { INVENTORY_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { inventoryUnitOfWork } from '../src/adapters/persistence/sql-inventory-store';

const PRODUCTS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
const ORDERS = 600;

/** Two different products, in a random order: chunks of different partitions overlap. */
function linesOfAnOrder() {
  const [first, second] = [...PRODUCTS].sort(() => Math.random() - 0.5);
  return [
    { productId: first!, quantity: 1 },
    { productId: second!, quantity: 2 },
  ];
}

/**
 * inventory-service's handlers under the real kit consumer: every order is on the topic before
 * the consumer joins, so three partitions' chunks of 100 reserve overlapping products at once.
 * Returns what PostgreSQL counted as deadlocks in the database, and the stock reserved.
 */
async function reserveConcurrently(lockAhead: boolean) {
  const name = uniqueName('inventory-chunks');
  const db = await createTestDatabase('inventory-chunks');
  const sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
  const settings = messagingSettings({
    brokers: testStack().endpoints().bootstrapServers,
    clientId: name,
    consumer: { partitionsConsumedConcurrently: 3, recordsPerTransaction: 100 },
  });
  const logger = createLogger(name, 'warn', new LogCapture());
  const kafka = createKafka(settings, logger);
  const producer = new ReliableProducer(kafka, settings);
  try {
    await createMigrator(sequelize, INVENTORY_MIGRATIONS).up();
    await sequelize.query(
      `INSERT INTO products (id, name, price_cents, available, reserved, sold, initial_stock, restocked)
       SELECT id, id, 100, 100000, 0, 0, 100000, 0 FROM unnest($1::text[]) AS id`,
      { bind: [PRODUCTS] },
    );
    const topic = await createTestTopic({ prefix: name, partitions: 3 });
    const retryTopics = await Promise.all(
      [1, 2, 3].map(() => createTestTopic({ prefix: `${name}-retry`, partitions: 3 })),
    );
    await producer.connect();
    const events = Array.from({ length: ORDERS }, () => {
      const orderId = crypto.randomUUID();
      return createEnvelope(
        'OrderCreated',
        orderId,
        {
          orderId,
          customerId: 'alice',
          lines: linesOfAnOrder(),
          paymentMethod: { type: 'card', reference: 'tok_visa' },
        },
        { correlationId: orderId, causationId: orderId },
      );
    });
    await producer.sendBatch([
      {
        topic,
        messages: events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
      },
    ]);

    const handlers = inventoryEventHandlers(
      new StockSaga('USD', { now: () => new Date() }, { reservation: () => undefined }),
    );
    const transactions = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      inventoryUnitOfWork(sequelize, { preparedStatements: true }),
    );
    const consumer = new MessageConsumer({
      topology: { service: name, groupId: `${name}-group`, topics: [topic], retryTopics },
      kafka,
      producer,
      sequelize,
      scopes: new TransactionScopes(sequelize, new Outbox(sequelize)),
      subscription: transactions.subscribe(
        lockAhead ? handlers : { ...handlers, beforeChunk: undefined },
      ),
      settings: settings.consumer,
      logger,
      metrics: MessagingMetrics.for(new Registry()),
    });
    await consumer.start();
    const reservations = async () => {
      const [row] = await sequelize.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM reservations',
        { type: QueryTypes.SELECT },
      );
      return row!.n;
    };
    await eventually(async () => (await reservations()) === ORDERS, 120_000, 'every reservation');
    await consumer.stop();
    const reserved = await sequelize.query<{ id: string; reserved: number }>(
      'SELECT id, reserved FROM products ORDER BY id',
      { type: QueryTypes.SELECT },
    );
    await sequelize.close();
    const expected = PRODUCTS.map((id) => ({
      id,
      reserved: events
        .flatMap((e) => e.payload.lines)
        .filter((l) => l.productId === id)
        .reduce((sum, l) => sum + l.quantity, 0),
    }));
    return { deadlocks: await deadlocksIn(db.url), reserved, expected };
  } finally {
    await producer.disconnect();
    await sequelize.close().catch(() => undefined);
    await db.drop();
  }
}

/** PostgreSQL's count, read once every session that could add to it has ended and reported. */
async function deadlocksIn(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await eventually(async () => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      return rows[0]!.n === 0;
    });
    const { rows } = await client.query<{ deadlocks: string }>(
      'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]!.deadlocks);
  } finally {
    await client.end();
  }
}

describe('inventory chunks of several partitions reserving the same products at once', () => {
  it('never deadlock: each chunk locks its rows ahead, in product-id order', async () => {
    const { deadlocks, reserved, expected } = await reserveConcurrently(true);
    expect(reserved).toEqual(expected);
    expect(deadlocks).toBe(0);
  });

  // The same load without the step shows the test can see a deadlock: the kit recovers (the chunk
  // runs again record by record), but each one cost PostgreSQL's deadlock_timeout.
  it('deadlock without the locks taken ahead', async () => {
    const { deadlocks, reserved, expected } = await reserveConcurrently(false);
    expect(reserved).toEqual(expected);
    expect(deadlocks).toBeGreaterThan(0);
  });
});
