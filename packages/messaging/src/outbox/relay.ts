import { QueryTypes, type Sequelize } from 'sequelize';
import type { IHeaders, TopicMessages } from 'kafkajs';
import { contextOf, publishSpan } from '../tracing';
import type { Logger } from '@shop/observability';
import type { MessagingMetrics } from '../metrics';
import type { ReliableProducer } from '../producer';
import type { MessagingSettings } from '../settings';
import { WakeUp } from './wake-up';

/**
 * The advisory lock a relay must hold to publish. Any constant works: each service has its own
 * database, so relays only meet their own replicas. Whoever holds it pauses every relay there.
 */
export const RELAY_LOCK_KEY = 0x6f757462;

const LOCK_BUSY = 'lock-busy';
/** The first wait before a relay that met the lock taken asks again; it doubles each time. */
const LOCK_RETRY_MS = 10;

const LOCK = 'SELECT pg_try_advisory_xact_lock($1) AS locked';
/**
 * The same, and this transaction's commit does not wait for its WAL to reach the disk (set_config
 * with is_local true is SET LOCAL: this transaction only, never the session or the server). What
 * it commits is only the "published" marks, and a mark lost in a crash costs nothing but a
 * duplicate: the row is published again and consumers skip the event by id (processed_events).
 * Every other transaction, the ones that write state and outbox rows, keeps its durable commit.
 */
const LOCK_WITH_ASYNC_COMMIT = `SELECT pg_try_advisory_xact_lock($1) AS locked,
  set_config('synchronous_commit', 'off', true)`;

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  value: string;
  headers: Record<string, string>;
}

export interface OutboxRelayOptions {
  readonly service: string;
  readonly sequelize: Sequelize;
  readonly producer: ReliableProducer;
  readonly settings: MessagingSettings['outbox'];
  readonly logger: Logger;
  readonly metrics?: MessagingMetrics;
}

/**
 * Publishes committed outbox rows in id order, then marks them published. One relay per database
 * works at a time (a transaction-scoped advisory lock), so replicas never reorder an aggregate's
 * events. A failed publish rolls back and is tried again: at-least-once, never lost.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly wakeUp = new WakeUp();
  private lastCleanup = Date.now();

  constructor(private readonly options: OutboxRelayOptions) {
    options.metrics?.watchOutbox(options.service, () => this.backlog());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp.nudge();
    await this.loop;
  }

  /** Nudges the relay after a commit, so an event need not wait for the next poll. */
  notify(): void {
    this.wakeUp.nudge();
  }

  /** Publishes one batch; returns how many rows, or 0 when idle or another relay holds the lock. */
  async publishBatch(): Promise<number> {
    const outcome = await this.publishOnce();
    return outcome === LOCK_BUSY ? 0 : outcome;
  }

  /** Whether any row waits: one statement on the partial index, no transaction and no lock. */
  async pending(): Promise<boolean> {
    const [row] = await this.options.sequelize.query<{ pending: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL) AS pending',
      { type: QueryTypes.SELECT },
    );
    return row?.pending ?? false;
  }

  private publishOnce(): Promise<number | typeof LOCK_BUSY> {
    const { sequelize, producer, settings, metrics, service } = this.options;
    return sequelize.transaction(async (transaction) => {
      const [lock] = await sequelize.query<{ locked: boolean }>(
        settings.asyncCommitMarks ? LOCK_WITH_ASYNC_COMMIT : LOCK,
        { bind: [RELAY_LOCK_KEY], transaction, type: QueryTypes.SELECT },
      );
      if (!lock?.locked) return LOCK_BUSY;
      const rows = await sequelize.query<OutboxRow>(
        `SELECT id, topic, message_key, value, headers FROM outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        { bind: [settings.batchSize], transaction, type: QueryTypes.SELECT },
      );
      if (rows.length === 0) return 0;
      const spans = rows.map((row) => publishSpan(row.topic, contextOf(row.headers)));
      try {
        await producer.sendBatch(
          groupByTopic(
            rows.map((row, i) => ({ ...row, headers: { ...row.headers, ...spans[i]!.headers } })),
          ),
        );
      } finally {
        for (const { span } of spans) span.end();
      }
      await sequelize.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', {
        bind: [rows.map((r) => r.id)],
        transaction,
      });
      for (const row of rows) metrics?.outboxPublished.inc({ service, topic: row.topic });
      return rows.length;
    });
  }

  async cleanup(): Promise<number> {
    const { sequelize, settings } = this.options;
    const [, result] = await sequelize.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)`,
      { bind: [settings.retentionHours * 3600] },
    );
    return (result as { rowCount?: number } | undefined)?.rowCount ?? 0;
  }

  async backlog(): Promise<{ backlog: number; oldestAgeSeconds: number }> {
    const [row] = await this.options.sequelize.query<{ backlog: string; age: number | null }>(
      `SELECT count(*) AS backlog, extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM outbox WHERE published_at IS NULL`,
      { type: QueryTypes.SELECT },
    );
    return { backlog: Number(row?.backlog ?? 0), oldestAgeSeconds: row?.age ?? 0 };
  }

  private async run(): Promise<void> {
    const { settings, logger } = this.options;
    let failures = 0;
    let lockBusyRounds = 0;
    // Rows are likely after a nudge, a full batch or a failure: the round goes straight to the
    // publish. A poll asks first, since most polls of an idle service find nothing.
    let likely = false;
    while (this.running) {
      let outcome: number | typeof LOCK_BUSY = 0;
      try {
        // Every commit nudged so far is visible to the read below: its nudge needs no other round.
        this.wakeUp.forget();
        if (likely || (await this.pending())) outcome = await this.publishOnce();
        if (failures > 0) logger.info({ failures }, 'outbox relay recovered');
        failures = 0;
        if (Date.now() - this.lastCleanup > settings.cleanupIntervalMs) {
          this.lastCleanup = Date.now();
          const removed = await this.cleanup();
          if (removed > 0) logger.info({ removed }, 'outbox cleanup removed published rows');
        }
      } catch (err) {
        failures++;
        logger.warn({ err, failures }, 'outbox relay could not publish; will retry');
      }
      if (failures > 0) {
        likely = true;
        await this.wakeUp.sleep(Math.min(settings.retryMaxMs, 100 * 2 ** failures));
        continue;
      }
      if (outcome === LOCK_BUSY && likely) {
        // Another replica's relay is publishing, and may have read before our commit: ask again
        // soon rather than a poll interval later, less often the longer it keeps the lock.
        await delay(Math.min(settings.pollIntervalMs, LOCK_RETRY_MS * 2 ** lockBusyRounds++));
        continue;
      }
      lockBusyRounds = 0;
      if (outcome !== LOCK_BUSY && outcome >= settings.batchSize) continue;
      likely = await this.wakeUp.sleep(settings.pollIntervalMs);
      // A commit rarely comes alone under load: the ones that land while the relay lingers go
      // out in the same produce request instead of one request each.
      if (likely && settings.lingerMs > 0 && this.running) await delay(settings.lingerMs);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One TopicMessages per topic, rows kept in id order so each key's events stay in order. */
function groupByTopic(rows: OutboxRow[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const row of rows) {
    let entry = byTopic.get(row.topic);
    if (!entry) {
      entry = { topic: row.topic, messages: [] };
      byTopic.set(row.topic, entry);
    }
    entry.messages.push({
      key: row.message_key,
      value: row.value,
      headers: row.headers as IHeaders,
    });
  }
  return [...byTopic.values()];
}
