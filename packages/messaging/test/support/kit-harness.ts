import crypto from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { Sequelize } from 'sequelize';
import { createEnvelope, dlqTopicOf, parkingTopicOf, type Envelope } from '@shop/contracts';
import { createLogger } from '@shop/observability';
import {
  MessageConsumer,
  MessagingMetrics,
  Outbox,
  ReliableProducer,
  TransactionScopes,
  createKafka,
  eventSubscription,
  createMigrator,
  messagingSettings,
  type ConsumerTopology,
  type EventHandlers,
  type MessagingSettings,
  type MessagingSettingsInput,
} from '@shop/messaging';
import { LogCapture, createTestDatabase, metricValue, testStack, uniqueName } from '@shop/testkit';
import { createTopicsAndWait } from '@shop/devstack';

/**
 * The harness's retry tiers: far enough apart that a tier held for its neighbour's delay shows,
 * short enough for a test that goes through all three.
 */
export const RETRY_DELAYS_MS = [200, 1_200, 2_400] as const;

/** A throwaway service for the kit: its own topics, database, registry and captured logs. */
export class KitHarness {
  readonly settings: MessagingSettings;
  readonly kafka: Kafka;
  readonly producer: ReliableProducer;
  readonly registry = new Registry();
  readonly metrics: MessagingMetrics;
  readonly logs = new LogCapture();
  readonly logger;
  readonly topology: ConsumerTopology;
  sequelize!: Sequelize;
  outbox!: Outbox;
  databaseUrl!: string;
  private dropDatabase: (() => Promise<void>) | undefined;
  private readonly consumers = new Set<MessageConsumer>();

  constructor(name = uniqueName('kit'), consumer: MessagingSettingsInput['consumer'] = {}) {
    this.settings = messagingSettings({
      brokers: testStack().endpoints().bootstrapServers,
      clientId: name,
      consumer: { retryDelaysMs: [...RETRY_DELAYS_MS], commitEveryRecords: 1, ...consumer },
      outbox: { pollIntervalMs: 50 },
    });
    this.logger = createLogger(name, 'info', this.logs);
    this.kafka = createKafka(this.settings, this.logger);
    this.producer = new ReliableProducer(this.kafka, this.settings);
    this.metrics = MessagingMetrics.for(this.registry);
    this.topology = {
      service: `${name}-service`,
      groupId: `${name}-service-group`,
      topics: [`${name}-events`],
      retryTopics: [1, 2, 3].map((n) => `${name}-service-retry-${n}`),
    };
  }

  get topic(): string {
    return this.topology.topics[0]!;
  }

  async setUp(): Promise<this> {
    const database = await createTestDatabase('kit');
    this.dropDatabase = database.drop;
    this.databaseUrl = database.url;
    this.sequelize = new Sequelize(database.url, { logging: false, dialect: 'postgres' });
    await createMigrator(this.sequelize).up();
    this.outbox = new Outbox(this.sequelize);
    await this.createTopics([
      this.topic,
      dlqTopicOf(this.topic),
      parkingTopicOf(this.topic),
      ...this.topology.retryTopics,
    ]);
    await this.producer.connect();
    return this;
  }

  async tearDown(): Promise<void> {
    await this.stopConsumers();
    await this.producer.disconnect();
    await this.sequelize?.close();
    await this.dropDatabase?.();
  }

  async createTopics(topics: string[]): Promise<void> {
    await createTopicsAndWait(
      testStack().config,
      topics.map((topic) => ({ topic, numPartitions: 3 })),
    );
  }

  consumer(handlers: EventHandlers, topology: ConsumerTopology = this.topology): MessageConsumer {
    const consumer = new MessageConsumer({
      topology,
      kafka: this.kafka,
      producer: this.producer,
      sequelize: this.sequelize,
      scopes: new TransactionScopes(this.sequelize, this.outbox),
      subscription: eventSubscription(handlers),
      settings: this.settings.consumer,
      logger: this.logger,
      metrics: this.metrics,
    });
    this.consumers.add(consumer);
    return consumer;
  }

  async stopConsumers(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
  }

  /** Produces raw bytes onto the harness topic, as any producer (or attacker) could. */
  async produceRaw(key: string, value: Buffer | string, topic = this.topic): Promise<void> {
    await this.producer.send(topic, { key, value });
  }

  async produce(event: Envelope, topic = this.topic): Promise<void> {
    await this.produceRaw(event.aggregateId, JSON.stringify(event), topic);
  }

  counter(name: string, labels: Record<string, string>): Promise<number> {
    return metricValue(this.registry, name, labels);
  }
}

export function orderCreated(
  orderId: string = crypto.randomUUID(),
  customerId = 'cust-1',
): Envelope<'OrderCreated'> {
  return createEnvelope(
    'OrderCreated',
    orderId,
    {
      orderId,
      customerId,
      lines: [
        { productId: 'PROD-001', quantity: 1 },
        { productId: 'PROD-002', quantity: 2 },
      ],
      paymentMethod: { type: 'card', reference: 'tok_visa' },
    },
    { correlationId: orderId, causationId: orderId },
  );
}
