import { Registry } from 'prom-client';
import { Sequelize } from 'sequelize';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@shop/observability';
import {
  MessageConsumer,
  MessagingMetrics,
  Outbox,
  ReliableProducer,
  TransactionScopes,
  createMigrator,
  eventSubscription,
  type MessagingSettings,
} from '@shop/messaging';
import { orderCreatedRecord, secondsSince } from './records';
import { rateOf, type Rate } from './raw/kafkajs';

/** Our producer (partition-pinned, acks=all, idempotent, snappy), as the outbox relay uses it. */
export async function kitProduce(
  kafka: Kafka,
  settings: MessagingSettings,
  topic: string,
  records: number,
): Promise<Rate> {
  const producer = new ReliableProducer(kafka, settings);
  await producer.connect();
  try {
    const started = process.hrtime.bigint();
    for (let i = 0; i < records; i += 500) {
      const messages = Array.from({ length: Math.min(500, records - i) }, orderCreatedRecord);
      await producer.sendBatch([{ topic, messages }]);
    }
    return rateOf(records, secondsSince(started));
  } finally {
    await producer.disconnect();
  }
}

export interface KitConsumeOptions {
  readonly kafka: Kafka;
  readonly settings: MessagingSettings;
  readonly databaseUrl: string;
  readonly topic: string;
  readonly retryTopics: string[];
  readonly groupId: string;
  readonly records: number;
  readonly logger: Logger;
}

/**
 * The three-tier consumer with a no-op handler: decode, validate, the processed-event row in a
 * transaction, offsets committed after it. Everything the kit adds over the raw client.
 */
export async function kitConsume(options: KitConsumeOptions): Promise<Rate> {
  const { kafka, settings, topic, records } = options;
  const sequelize = new Sequelize(options.databaseUrl, {
    logging: false,
    dialect: 'postgres',
    pool: { max: 10 },
  });
  await createMigrator(sequelize).up();
  const producer = new ReliableProducer(kafka, settings);
  await producer.connect();
  let seen = 0;
  let started: bigint | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const consumer = new MessageConsumer({
    topology: {
      service: 'bench',
      groupId: options.groupId,
      topics: [topic],
      retryTopics: options.retryTopics,
    },
    kafka,
    producer,
    sequelize,
    scopes: new TransactionScopes(sequelize, new Outbox(sequelize)),
    settings: settings.consumer,
    logger: options.logger,
    metrics: MessagingMetrics.for(new Registry()),
    subscription: eventSubscription({
      OrderCreated: async () => {
        started ??= process.hrtime.bigint();
        if (++seen === records) setImmediate(finish);
      },
    }),
  });
  try {
    await consumer.start();
    await finished;
    return rateOf(records, secondsSince(started!));
  } finally {
    await consumer.stop();
    await producer.disconnect();
    await sequelize.close();
  }
}
