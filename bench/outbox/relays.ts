import type { TopicMessages } from 'kafkajs';
import { Sequelize } from 'sequelize';
import type { Envelope } from '@shop/contracts';
import { createLogger } from '@shop/observability';
import {
  Outbox,
  OutboxRelay,
  createMigrator,
  messagingSettings,
  type MessagingSettings,
  type ReliableProducer,
} from '@shop/messaging';
import { orderCreatedRecord } from '../records';

/** Stands in for Kafka: the relay's side is what these measurements are about. */
export class RecordingProducer {
  readonly publishedAt = new Map<string, number>();
  requests = 0;
  constructor(private readonly latencyMs = 0) {}

  async sendBatch(batch: TopicMessages[]): Promise<unknown[]> {
    this.requests++;
    const now = performance.now();
    for (const { messages } of batch)
      for (const m of messages) this.publishedAt.set(String(m.key), now);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    return [];
  }
}

export function event(): Envelope {
  return JSON.parse(orderCreatedRecord().value) as Envelope;
}

/** One service replica's outbox side: its pool, the outbox and a relay over a stand-in producer. */
export class Replica {
  readonly sequelize: Sequelize;
  readonly outbox: Outbox;
  readonly relay: OutboxRelay;

  constructor(
    databaseUrl: string,
    outbox: Partial<MessagingSettings['outbox']>,
    readonly producer = new RecordingProducer(),
  ) {
    this.sequelize = new Sequelize(databaseUrl, { logging: false, dialect: 'postgres' });
    this.outbox = new Outbox(this.sequelize);
    this.relay = new OutboxRelay({
      service: 'bench',
      sequelize: this.sequelize,
      producer: producer as unknown as ReliableProducer,
      settings: messagingSettings({ brokers: ['unused:9092'], clientId: 'bench', outbox }).outbox,
      logger: createLogger('bench', 'warn'),
    });
  }

  static async migrate(databaseUrl: string): Promise<void> {
    const sequelize = new Sequelize(databaseUrl, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize).up();
    await sequelize.close();
  }

  /** Commits one event as a use case does and nudges this replica's relay; returns when. */
  async commit(nudge = true): Promise<{ key: string; committedAt: number }> {
    const e = event();
    await this.sequelize.transaction((t) => this.outbox.append(t, [e]));
    const committedAt = performance.now();
    if (nudge) this.relay.notify();
    return { key: e.aggregateId, committedAt };
  }

  async close(): Promise<void> {
    await this.relay.stop();
    await this.sequelize.close();
  }
}
