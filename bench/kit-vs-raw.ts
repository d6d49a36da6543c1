/**
 * Records/s through the messaging kit with a no-op handler vs. a raw kafkajs consumer on the
 * same topic, on the running local stack. A benchmark: it reports, it never fails on a number.
 */
import crypto from 'node:crypto';
import { Registry } from 'prom-client';
import { Sequelize } from 'sequelize';
import { createEnvelope } from '@shop/contracts';
import { createLogger } from '@shop/observability';
import {
  MessageConsumer,
  MessagingMetrics,
  Outbox,
  ReliableProducer,
  createKafka,
  createMigrator,
  messagingSettings,
} from '@shop/messaging';
import { Stack, createTopicsAndWait, loadStackConfig } from '@shop/devstack';
import { createTestDatabase, uniqueName } from '@shop/testkit';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 20_000);

async function main(): Promise<void> {
  const stack = new Stack(loadStackConfig());
  await stack.up();
  const settings = messagingSettings({
    brokers: stack.endpoints().bootstrapServers,
    clientId: 'bench',
  });
  const logger = createLogger('bench', 'warn');
  const kafka = createKafka(settings, logger);
  const name = uniqueName('bench');
  const topic = `${name}-events`;
  const retryTopics = [1, 2, 3].map((n) => `${name}-retry-${n}`);
  await createTopicsAndWait(
    stack.config,
    [topic, `${topic}-dlq`, ...retryTopics].map((t) => ({ topic: t, numPartitions: 3 })),
  );

  const producer = new ReliableProducer(kafka, settings);
  await producer.connect();
  const started = Date.now();
  for (let i = 0; i < RECORDS; i += 500) {
    const messages = Array.from({ length: Math.min(500, RECORDS - i) }, () => {
      const orderId = crypto.randomUUID();
      const e = createEnvelope(
        'OrderCreated',
        orderId,
        {
          orderId,
          customerId: 'c',
          lines: [{ productId: 'P-1', quantity: 1 }],
          paymentMethod: { type: 'card', reference: 't' },
        },
        { correlationId: orderId, causationId: orderId },
      );
      return { key: orderId, value: JSON.stringify(e) };
    });
    await producer.sendBatch([{ topic, messages }]);
  }
  const produceRate = RECORDS / ((Date.now() - started) / 1000);

  const raw = await measure(async (done) => {
    const consumer = kafka.consumer({ groupId: `${name}-raw`, maxWaitTimeInMs: 500 });
    let n = 0;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        for (const m of batch.messages) {
          JSON.parse(m.value!.toString());
          resolveOffset(m.offset);
          if (++n === RECORDS) done();
        }
        await commitOffsetsIfNecessary();
      },
    });
    return () => consumer.disconnect();
  });

  const database = await createTestDatabase('bench');
  const sequelize = new Sequelize(database.url, {
    logging: false,
    dialect: 'postgres',
    pool: { max: 10 },
  });
  await createMigrator(sequelize).up();
  const kit = await measure(async (done) => {
    let n = 0;
    const consumer = new MessageConsumer({
      topology: { service: name, groupId: `${name}-kit`, topics: [topic], retryTopics },
      kafka,
      producer,
      sequelize,
      outbox: new Outbox(sequelize),
      settings: settings.consumer,
      logger,
      metrics: MessagingMetrics.for(new Registry()),
      handlers: {
        OrderCreated: async () => {
          if (++n === RECORDS) setImmediate(done);
        },
      },
    });
    await consumer.start();
    return () => consumer.stop();
  });

  await producer.disconnect();
  await sequelize.close();
  await database.drop();

  const table = [
    ['what', 'records', 'seconds', 'records/s'],
    ['produce (acks=all, idempotent, snappy)', String(RECORDS), '', produceRate.toFixed(0)],
    [
      'raw kafkajs consumer (parse only)',
      String(RECORDS),
      raw.seconds.toFixed(2),
      raw.rate.toFixed(0),
    ],
    ['messaging kit, no-op handler', String(RECORDS), kit.seconds.toFixed(2), kit.rate.toFixed(0)],
  ];
  for (const row of table)
    console.log(
      row[0]!.padEnd(40) +
        row
          .slice(1)
          .map((c) => c.padStart(10))
          .join(''),
    );
  console.log(`kit / raw = ${((kit.rate / raw.rate) * 100).toFixed(1)} %`);
}

async function measure(
  run: (done: () => void) => Promise<() => Promise<void>>,
): Promise<{ seconds: number; rate: number }> {
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const started = Date.now();
  const stop = await run(finish);
  await finished;
  const seconds = (Date.now() - started) / 1000;
  await stop();
  return { seconds, rate: RECORDS / seconds };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
