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
  /** Omit for a service that consumes nothing. */
  readonly handlers?: EventHandlers;
}

/** One service's Kafka side: producer, outbox and relay, and its consumer, started and stopped together. */
export class ServiceMessaging {
  readonly producer: ReliableProducer;
  readonly outbox: Outbox;
  readonly relay: OutboxRelay;
  private readonly consumer: MessageConsumer | undefined;
  private producerUp = false;
  private consumerUp = false;

  constructor(options: ServiceMessagingOptions) {
    const { service, settings, sequelize, logger, registry, handlers } = options;
    const kafka = createKafka(settings, logger);
    const metrics = MessagingMetrics.for(registry);
    this.producer = new ReliableProducer(kafka, settings);
    this.outbox = new Outbox(sequelize);
    this.relay = new OutboxRelay({
      service,
      sequelize,
      producer: this.producer,
      settings: settings.outbox,
      logger,
      metrics,
    });
    if (handlers) {
      this.consumer = new MessageConsumer({
        topology: topologyOf(service),
        kafka,
        producer: this.producer,
        sequelize,
        outbox: this.outbox,
        handlers,
        settings: settings.consumer,
        logger,
        metrics,
        onEventsCommitted: () => this.relay.notify(),
      });
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.consumerUp = true));
      this.consumer.on(this.consumer.events.CRASH, () => (this.consumerUp = false));
      this.consumer.on(this.consumer.events.STOP, () => (this.consumerUp = false));
    }
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.producerUp = true;
    this.relay.start();
    await this.consumer?.start();
  }

  /** Stops taking records, finishes the ones in hand, publishes nothing half-way, disconnects. */
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
