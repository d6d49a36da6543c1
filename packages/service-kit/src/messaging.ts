import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';
import type { ServiceName } from '@shop/contracts';
import type { Logger } from '@shop/observability';
import {
  ClusterProbe,
  MessageConsumer,
  MessagingMetrics,
  Outbox,
  OutboxRelay,
  ReliableProducer,
  TransactionScopes,
  classifyError,
  createKafka,
  topologyOf,
  type EventSubscription,
  type MessagingSettings,
  type Transactions,
  type UnitOfWorkFactory,
} from '@shop/messaging';

export interface ServiceMessagingOptions {
  readonly service: ServiceName;
  readonly settings: MessagingSettings;
  readonly sequelize: Sequelize;
  readonly logger: Logger;
  readonly registry: Registry;
  /** How long start-up keeps trying to reach the cluster before giving up. */
  readonly startupTimeoutMs: number;
}

/** One service's Kafka side: producer, outbox and relay, and its consumer, started and stopped together. */
export class ServiceMessaging {
  readonly producer: ReliableProducer;
  private readonly outbox: Outbox;
  private readonly relay: OutboxRelay;
  private readonly scopes: TransactionScopes;
  private readonly kafka: Kafka;
  private readonly probe: ClusterProbe;
  private readonly metrics: MessagingMetrics;
  private consumer: MessageConsumer | undefined;
  private producerUp = false;
  private consumerUp = false;

  constructor(private readonly options: ServiceMessagingOptions) {
    const { service, settings, sequelize, logger, registry } = options;
    this.kafka = createKafka(settings, logger);
    this.metrics = MessagingMetrics.for(registry);
    this.metrics.countRequestsOf(this.kafka);
    this.producer = new ReliableProducer(this.kafka, settings);
    this.probe = new ClusterProbe(this.kafka);
    this.outbox = new Outbox(sequelize);
    this.relay = new OutboxRelay({
      service,
      sequelize,
      producer: this.producer,
      settings: settings.outbox,
      logger,
      metrics: this.metrics,
    });
    this.scopes = new TransactionScopes(sequelize, this.outbox, () => this.relay.notify());
  }

  /**
   * The service's use cases run in these, and its consumed events in the same kind of scope:
   * state, outbox rows and after-commit work commit together, and new events wake the relay.
   */
  transactions<UnitOfWork>(unitOfWork: UnitOfWorkFactory<UnitOfWork>): Transactions<UnitOfWork> {
    return this.scopes.of(unitOfWork);
  }

  /** Declares what the service consumes; call before start. A service that consumes nothing skips it. */
  consume(subscription: EventSubscription): void {
    const { service, settings, sequelize, logger } = this.options;
    this.consumer = new MessageConsumer({
      topology: topologyOf(service),
      kafka: this.kafka,
      producer: this.producer,
      sequelize,
      scopes: this.scopes,
      subscription,
      settings: settings.consumer,
      logger,
      metrics: this.metrics,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.consumerUp = true));
    this.consumer.on(this.consumer.events.CRASH, () => (this.consumerUp = false));
    this.consumer.on(this.consumer.events.STOP, () => (this.consumerUp = false));
  }

  /**
   * Connects, waiting for the cluster if it is away (a broker restarting, the cluster still coming
   * up): a service started a moment too early should become ready late, not crash and rely on its
   * supervisor. Only errors the kit classifies as retryable are waited out.
   */
  async start(): Promise<void> {
    const deadline = Date.now() + this.options.startupTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.connect();
        return;
      } catch (err) {
        await this.consumer?.stop().catch(() => undefined);
        const retryInMs = Math.min(1_000 * 2 ** (attempt - 1), 10_000);
        if (classifyError(err) !== 'retryable' || Date.now() + retryInMs > deadline) throw err;
        this.options.logger.warn(
          { err, attempt, retryInMs },
          'Kafka not reachable yet; start-up will try again',
        );
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
      }
    }
  }

  private async connect(): Promise<void> {
    if (!this.producerUp) {
      await this.producer.connect();
      await this.probe.connect();
      this.producerUp = true;
      this.relay.start();
    }
    await this.consumer?.start();
  }

  /** Stops taking records, finishes the ones in hand, then stops the relay and disconnects. */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.relay.stop();
    await this.producer.disconnect();
    await this.probe.disconnect();
    this.producerUp = false;
  }

  /** Connected, in its consumer group, and the cluster answers now. */
  async ready(): Promise<boolean> {
    if (!this.producerUp || (this.consumer !== undefined && !this.consumerUp)) return false;
    return this.probe.reachable();
  }
}
