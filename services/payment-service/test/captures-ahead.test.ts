import crypto from 'node:crypto';
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
import { CapturesAhead } from '../src/application/captures-ahead';
import { PaymentSaga } from '../src/application/payment-saga';
import type { PaymentGateway } from '../src/application/ports';
import { SimulatedGateway } from '../src/adapters/gateway/simulated-gateway';
import { SqlGatewayLedger } from '../src/adapters/gateway/sql-gateway-ledger';
import { paymentEventHandlers } from '../src/adapters/messaging/payment-events.listener';
import { PAYMENT_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { paymentUnitOfWork } from '../src/adapters/persistence/sql-payment-store';

const ORDERS = 300;
const GATEWAY_LATENCY_MS = 20;

/** The gateway as the saga sees it, counting the captures it has in flight at once. */
class Watched implements PaymentGateway {
  inFlight = 0;
  mostInFlight = 0;
  constructor(private readonly gateway: PaymentGateway) {}
  async capture(request: Parameters<PaymentGateway['capture']>[0]) {
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    try {
      return await this.gateway.capture(request);
    } finally {
      this.inFlight--;
    }
  }
  findCapture(key: string) {
    return this.gateway.findCapture(key);
  }
  refund(request: Parameters<PaymentGateway['refund']>[0]) {
    return this.gateway.refund(request);
  }
}

/**
 * payment-service's handlers under the real kit consumer (three partitions at once, chunks of
 * 100) with a 20 ms gateway: every payment request is on the topic before the consumer joins.
 */
async function payAll(capturesAhead: boolean) {
  const name = uniqueName('payment-ahead');
  const db = await createTestDatabase('payment-ahead');
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
    await createMigrator(sequelize, PAYMENT_MIGRATIONS).up();
    const topic = await createTestTopic({ prefix: name, partitions: 3 });
    const retryTopics = await Promise.all(
      [1, 2, 3].map(() => createTestTopic({ prefix: `${name}-retry`, partitions: 3 })),
    );
    await producer.connect();
    const messages = Array.from({ length: ORDERS }, () => {
      const orderId = crypto.randomUUID();
      const event = createEnvelope(
        'PaymentRequested',
        orderId,
        {
          orderId,
          customerId: 'alice',
          paymentMethod: { type: 'card', reference: 'tok_visa' },
          amountCents: 1_000,
          currency: 'USD',
        },
        { correlationId: orderId, causationId: orderId },
      );
      return { key: orderId, value: JSON.stringify(event) };
    });
    await producer.sendBatch([{ topic, messages }]);

    const gateway = new Watched(
      new SimulatedGateway(new SqlGatewayLedger(sequelize), {
        latencyMs: GATEWAY_LATENCY_MS,
        declineReferences: [],
        declineAboveCents: 1_000_000,
        transientFailureRate: 0,
        flakyReference: 'tok_flaky',
      }),
    );
    const ahead = capturesAhead ? new CapturesAhead(gateway) : undefined;
    const saga = new PaymentSaga(
      ahead ?? gateway,
      { now: () => new Date() },
      { outcome: () => {} },
    );
    const transactions = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      paymentUnitOfWork(sequelize, { preparedStatements: true }),
    );
    const consumer = new MessageConsumer({
      topology: { service: name, groupId: `${name}-group`, topics: [topic], retryTopics },
      kafka,
      producer,
      sequelize,
      scopes: new TransactionScopes(sequelize, new Outbox(sequelize)),
      subscription: transactions.subscribe(paymentEventHandlers(saga, ahead)),
      settings: settings.consumer,
      logger,
      metrics: MessagingMetrics.for(new Registry()),
    });
    const count = async (sql: string) => {
      const [row] = await sequelize.query<{ n: number }>(sql, { type: QueryTypes.SELECT });
      return row!.n;
    };
    // From the moment the group is joined: the join's own time is the same for both.
    let began = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => (began = Date.now()));
    await consumer.start();
    await eventually(
      async () => (await count('SELECT count(*)::int AS n FROM payments')) === ORDERS,
      120_000,
      'every payment',
    );
    const elapsedMs = Date.now() - began;
    await consumer.stop();
    return {
      elapsedMs,
      mostInFlight: gateway.mostInFlight,
      captured: await count(`SELECT count(*)::int AS n FROM payments WHERE status = 'CAPTURED'`),
      ledger: await count(`SELECT count(*)::int AS n FROM gateway_ledger WHERE kind = 'capture'`),
      announced: await count(
        `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'PaymentCompleted'`,
      ),
    };
  } finally {
    await producer.disconnect();
    await sequelize.close();
    await db.drop();
  }
}

describe('payment-service with a 20 ms gateway, three partitions at once, chunks of 100', () => {
  it('captures a chunk’s payments at once, each once, instead of one after another', async () => {
    const serial = await payAll(false);
    const ahead = await payAll(true);
    process.stdout.write(
      `captures ahead: ${ORDERS} payments in ${ahead.elapsedMs} ms (at most ${ahead.mostInFlight} ` +
        `captures at once); one after another: ${serial.elapsedMs} ms (${serial.mostInFlight})\n`,
    );
    for (const run of [serial, ahead]) {
      expect(run).toMatchObject({ captured: ORDERS, ledger: ORDERS, announced: ORDERS });
    }
    expect(serial.mostInFlight).toBeLessThanOrEqual(3); // one per partition consumed at once
    expect(ahead.mostInFlight).toBeGreaterThan(3);
  });
});
