import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';
import type { ServiceName } from '@shop/contracts';
import type { Logger } from '@shop/observability';
import {
  MessageConsumer,
  MessagingMetrics,
  Outbox,
  OutboxRelay,
  ReliableProducer,
  createKafka,
  topologyOf,
  type EventHandlers,
  type MessagingSettings,
} from '@shop/messaging';

export interface ServiceMessagingOptions {
  readonly service: ServiceName;
  readonly settings: MessagingSettings;
  readonly sequelize: Sequelize;
  readonly logger: Logger;
  readonly registry: Registry;
}

/** One service's Kafka side: producer, outbox and relay, and its consumer, started and stopped together. */
export class ServiceMessaging {
  readonly producer: ReliableProducer;
  readonly outbox: Outbox;
  readonly relay: OutboxRelay;
  private readonly kafka: Kafka;
  private readonly metrics: MessagingMetrics;
  private consumer: MessageConsumer | undefined;
  private producerUp = false;
  private consumerUp = false;

  constructor(private readonly options: ServiceMessagingOptions) {
    const { service, settings, sequelize, logger, registry } = options;
    this.kafka = createKafka(settings, logger);
    this.metrics = MessagingMetrics.for(registry);
    this.producer = new ReliableProducer(this.kafka, settings);
    this.outbox = new Outbox(sequelize);
    this.relay = new OutboxRelay({
      service,
      sequelize,
      producer: this.producer,
      settings: settings.outbox,
      logger,
      metrics: this.metrics,
    });
  }

  /** Declares what the service consumes; call before start. A service that consumes nothing skips it. */
  consume(handlers: EventHandlers): void {
    const { service, settings, sequelize, logger } = this.options;
    this.consumer = new MessageConsumer({
      topology: topologyOf(service),
      kafka: this.kafka,
      producer: this.producer,
      sequelize,
      outbox: this.outbox,
      handlers,
      settings: settings.consumer,
      logger,
      metrics: this.metrics,
      onEventsCommitted: () => this.relay.notify(),
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.consumerUp = true));
    this.consumer.on(this.consumer.events.CRASH, () => (this.consumerUp = false));
    this.consumer.on(this.consumer.events.STOP, () => (this.consumerUp = false));
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.producerUp = true;
    this.relay.start();
    await this.consumer?.start();
  }

  /** Stops taking records, finishes the ones in hand, then stops the relay and disconnects. */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.relay.stop();
    await this.producer.disconnect();
    this.producerUp = false;
  }

  ready(): boolean {
    return this.producerUp && (this.consumer === undefined || this.consumerUp);
  }
}
