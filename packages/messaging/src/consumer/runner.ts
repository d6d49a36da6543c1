import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { RETRY_TIERS, decodeEnvelope, type Envelope, type EventType } from '@shop/contracts';
import type { Logger, MessageStatus } from '@shop/observability';
import { classifyError, errorClassName, isLockConflict, UnhandledEventTypeError } from '../errors';
import { RETRY_HEADERS, headerString } from '../headers';
import type { MessagingMetrics } from '../metrics';
import type { Outbox } from '../outbox/outbox';
import type { ReliableProducer } from '../producer';
import type { MessagingSettings } from '../settings';
import { deadLetterOf, retryOf } from './dead-letter';
import { originOf, type RecordOrigin } from './record-origin';
import type { ConsumerTopology } from './topology';
import { inCurrentContext, withConsumerSpan } from '../tracing';

export interface HandlerContext {
  /** The transaction that also records the event as processed: write state through it. */
  readonly transaction: Transaction;
  /** Appends events to the outbox in the same transaction. */
  publish(...events: Envelope[]): Promise<void>;
  /** Runs once the record's effects are committed; never if they roll back. */
  afterCommit(callback: () => void): void;
  readonly origin: RecordOrigin;
}

export type EventHandler<T extends EventType> = (
  event: Envelope<T>,
  context: HandlerContext,
) => Promise<void>;

export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export interface MessageConsumerOptions {
  readonly topology: ConsumerTopology;
  readonly kafka: Kafka;
  readonly producer: ReliableProducer;
  readonly sequelize: Sequelize;
  readonly outbox: Outbox;
  readonly handlers: EventHandlers;
  readonly settings: MessagingSettings['consumer'];
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
  /** Called after a handler's transaction committed new outbox rows (to wake the relay). */
  readonly onEventsCommitted?: () => void;
}

interface ValidRecord {
  readonly message: KafkaMessage;
  readonly origin: RecordOrigin;
  readonly event: Envelope;
}

interface InvalidRecord {
  readonly message: KafkaMessage;
  readonly origin: RecordOrigin;
  readonly invalid: unknown;
}

type DecodedRecord = ValidRecord | InvalidRecord;

/**
 * Savepoints in one transaction when handlers run isolated. PostgreSQL keeps 64 subtransactions
 * per transaction in shared memory; past that every other session's snapshots slow down.
 */
const SAVEPOINTS_PER_TRANSACTION = 50;

/** The chunk's transaction is rolled back and the chunk applied again, more carefully. */
class ChunkRestart extends Error {
  override readonly name = 'ChunkRestart';
}

interface RecordEffects {
  afterCommit(callback: () => void): void;
  onPublished(): void;
}

/** Thrown when a record's outcome could not be recorded; its offset stays uncommitted. */
class OutcomeNotRecordedError extends Error {
  override readonly name = 'OutcomeNotRecordedError';
}

/**
 * The guide's three-tier consumer. Per record: malformed -> DLQ; already processed -> skip;
 * otherwise the handler runs in one transaction with the processed-event row and its outbox rows.
 * Business error -> skip; retryable -> this service's next retry tier, DLQ after the last;
 * anything else -> DLQ. An offset is committed only once the outcome is durable.
 */
export class MessageConsumer {
  private readonly consumer: Consumer;
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly log: Logger;

  constructor(private readonly options: MessageConsumerOptions) {
    const { kafka, topology, settings } = options;
    this.log = options.logger.child({ component: 'consumer', groupId: topology.groupId });
    this.consumer = kafka.consumer({
      groupId: topology.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      maxWaitTimeInMs: settings.fetchMaxWaitMs,
      minBytes: settings.fetchMinBytes,
      readUncommitted: false,
      allowAutoTopicCreation: false,
    });
  }

  get events(): Consumer['events'] {
    return this.consumer.events;
  }

  on: Consumer['on'] = (...args) => this.consumer.on(...args);

  async start(): Promise<void> {
    const { topology, settings } = this.options;
    this.options.metrics.initialize(topology.service, topology.topics);
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...topology.topics, ...topology.retryTopics],
      fromBeginning: true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Finishes the batch in hand, commits its offsets, and leaves the group. */
  async stop(): Promise<void> {
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer.disconnect();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale, pause } =
      payload;
    const { topic, partition, messages } = batch;
    const { recordsPerTransaction, commitEveryRecords } = this.options.settings;
    const fromRetryTopic = this.options.topology.retryTopics.includes(topic);
    let lastResolved: string | undefined;
    let sinceCommit = 0;
    // One offset commit in flight at a time, never waited for between chunks: offsets only bound
    // redelivery after a crash (the processed-events rows keep effects single), and waiting for
    // each broker round trip cost the consumer two thirds of its time.
    let committing: Promise<void> = Promise.resolve();
    let inFlight = false;
    let failure: unknown;
    const commit = () => {
      if (lastResolved === undefined || sinceCommit === 0) return;
      const offset = (BigInt(lastResolved) + 1n).toString();
      sinceCommit = 0;
      inFlight = true;
      committing = commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset }] }],
      })
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => (inFlight = false));
    };

    try {
      let next = 0;
      while (next < messages.length && isRunning() && !isStale()) {
        const chunk: KafkaMessage[] = [];
        let held = false;
        while (next < messages.length && chunk.length < recordsPerTransaction) {
          const message = messages[next]!;
          if (fromRetryTopic && this.holdUntilDue(message, pause)) {
            held = true;
            break;
          }
          chunk.push(message);
          next++;
        }
        if (chunk.length > 0) {
          await this.handleChunk(topic, partition, chunk, fromRetryTopic);
          lastResolved = chunk[chunk.length - 1]!.offset;
          resolveOffset(lastResolved);
          sinceCommit += chunk.length;
          if (failure !== undefined) throw failure;
          if (sinceCommit >= commitEveryRecords && !inFlight) commit();
          await heartbeat();
        }
        if (held) break;
      }
    } finally {
      await committing;
      commit();
      await committing;
    }
    if (failure !== undefined) throw failure;
  }

  /**
   * A retry tier is a delay queue: records are appended in due order, so when the head is not
   * due yet the partition pauses until it is, and is fetched again from that record.
   */
  private holdUntilDue(message: KafkaMessage, pause: () => () => void): boolean {
    const notBefore = Number(headerString(message.headers, RETRY_HEADERS.notBefore) ?? 0);
    const wait = notBefore - Date.now();
    if (!(wait > 0)) return false;
    const resume = pause();
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, wait);
    this.resumeTimers.add(timer);
    return true;
  }

  /**
   * Up to `recordsPerTransaction` records in one database transaction: one commit (and one fsync)
   * for all of them instead of one each. First all handlers run straight in that transaction; if
   * any of them fails, it rolls back and the chunk runs again, in slices of at most 50 records
   * with each handler in a savepoint, so a failing record rolls back alone (and a lock conflict
   * splits a slice into one transaction per record). Outcomes are counted and logged only once
   * their transaction committed; if it never does, no offset moves and the chunk is read again.
   */
  private async handleChunk(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    fromRetryTopic: boolean,
  ): Promise<void> {
    const records = messages.map((m) => this.decode(topic, partition, m, fromRetryTopic));
    // A dead letter is sent at once, so a chunk with one is not run twice.
    if (records.length > 1 && records.every((r) => 'event' in r)) {
      try {
        return await this.applyChunk(topic, records, 'together');
      } catch (error) {
        if (!(error instanceof ChunkRestart)) throw error;
      }
    }
    for (let i = 0; i < records.length; i += SAVEPOINTS_PER_TRANSACTION) {
      const slice = records.slice(i, i + SAVEPOINTS_PER_TRANSACTION);
      try {
        await this.applyChunk(topic, slice, 'isolated');
      } catch (error) {
        if (!(error instanceof ChunkRestart) || slice.length === 1) throw error;
        this.log.info({ topic, partition, records: slice.length }, error.message);
        for (const record of slice) await this.applyChunk(topic, [record], 'isolated');
      }
    }
  }

  private async applyChunk(
    topic: string,
    records: readonly DecodedRecord[],
    mode: 'together' | 'isolated',
  ): Promise<void> {
    const { sequelize, topology, onEventsCommitted } = this.options;
    const committed: Array<() => void> = [];
    let published = false;
    await sequelize.transaction(async (transaction) => {
      const fresh = await this.markProcessed(records, transaction);
      for (const record of records) {
        await withConsumerSpan(topic, topology.groupId, record.message.headers, async () => {
          const started = process.hrtime.bigint();
          const outcome = (status: MessageStatus, log?: () => void) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            // Logged after the commit, still under the record's span: the lines keep its traceId.
            committed.push(
              inCurrentContext(() => {
                log?.();
                this.options.metrics.recordOutcome(
                  { service: topology.service, topic: record.origin.topic, status },
                  seconds,
                );
              }),
            );
          };
          try {
            if ('invalid' in record) {
              await this.deadLetter(record.message, record.origin, record.invalid);
              return outcome('dlq');
            }
            const { event, origin } = record;
            if (!fresh.delete(event.eventId)) {
              return outcome('skip', () =>
                this.log.info(
                  { eventId: event.eventId, eventType: event.eventType, topic: origin.topic },
                  'already processed, message skipped',
                ),
              );
            }
            const effects = {
              afterCommit: (callback: () => void) => committed.push(callback),
              onPublished: () => (published = true),
            };
            const status =
              mode === 'together'
                ? await this.applyTogether(record, transaction, effects)
                : await this.applyIsolated(record, transaction, records.length === 1, effects);
            outcome(status, () => {
              if (status === 'success') this.logProcessed(record);
            });
          } catch (error) {
            if (error instanceof ChunkRestart) throw error;
            this.options.metrics.recordOutcome(
              { service: topology.service, topic: record.origin.topic, status: 'error' },
              Number(process.hrtime.bigint() - started) / 1e9,
            );
            throw error;
          }
        });
      }
    });
    for (const done of committed) done();
    if (published) onEventsCommitted?.();
  }

  private decode(
    topic: string,
    partition: number,
    message: KafkaMessage,
    fromRetryTopic: boolean,
  ): DecodedRecord {
    const origin = originOf(topic, partition, message, fromRetryTopic);
    try {
      const event = decodeEnvelope(message.value);
      if (!this.options.handlers[event.eventType]) {
        throw new UnhandledEventTypeError(
          `${this.options.topology.service} has no handler for ${event.eventType}`,
        );
      }
      return { message, origin, event };
    } catch (invalid) {
      return { message, origin, invalid };
    }
  }

  /**
   * Records every decoded event of the chunk as processed by this group in one statement and
   * returns the ids that were new; the rest were processed before and are skipped.
   */
  private async markProcessed(
    records: readonly DecodedRecord[],
    transaction: Transaction,
  ): Promise<Set<string>> {
    const events = records.flatMap((r) => ('event' in r ? [r] : []));
    if (events.length === 0) return new Set();
    const inserted = await this.options.sequelize.query<{ event_id: string }>(
      `INSERT INTO processed_events (consumer_group, event_id, event_type, topic, "partition", "offset")
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::bigint[])
       ON CONFLICT DO NOTHING RETURNING event_id`,
      {
        bind: [
          this.options.topology.groupId,
          events.map((r) => r.event.eventId),
          events.map((r) => r.event.eventType),
          events.map((r) => r.origin.topic),
          events.map((r) => r.origin.partition),
          events.map((r) => r.origin.offset),
        ],
        transaction,
        type: QueryTypes.SELECT,
      },
    );
    return new Set(inserted.map((r) => r.event_id));
  }

  /** The handler straight in the chunk's transaction; any failure restarts the chunk isolated. */
  private async applyTogether(
    record: ValidRecord,
    transaction: Transaction,
    effects: RecordEffects,
  ): Promise<MessageStatus> {
    try {
      await this.runHandler(record, transaction, effects);
    } catch (error) {
      throw new ChunkRestart('a handler failed in a shared chunk', { cause: error });
    }
    return 'success';
  }

  /**
   * The handler in its own savepoint. On a business error the event stays marked processed (it
   * is skipped for good); a record that goes to a retry topic or the DLQ is unmarked, so it is
   * applied when it comes back. A lock conflict in a chunk of several splits the chunk instead.
   */
  private async applyIsolated(
    record: ValidRecord,
    transaction: Transaction,
    alone: boolean,
    effects: RecordEffects,
  ): Promise<MessageStatus> {
    const { sequelize, topology } = this.options;
    const { event, origin } = record;
    const savepoint = await sequelize.transaction({ transaction });
    try {
      await this.runHandler(record, savepoint, {
        // Held by the savepoint until it ends well, then by the chunk until it commits.
        afterCommit: (callback) => savepoint.afterCommit(() => effects.afterCommit(callback)),
        onPublished: () => savepoint.afterCommit(effects.onPublished),
      });
    } catch (error) {
      if (!alone && isLockConflict(error)) {
        throw new ChunkRestart('lock conflict in a chunk; applying its records one by one', {
          cause: error,
        });
      }
      // A savepoint that cannot be rolled back leaves the transaction unusable: the chunk fails.
      await savepoint.rollback();
      const status = await this.onHandlerError(record.message, origin, event, error);
      if (status !== 'skip') {
        await sequelize.query(
          'DELETE FROM processed_events WHERE consumer_group = $1 AND event_id = $2',
          { bind: [topology.groupId, event.eventId], transaction },
        );
      }
      return status;
    }
    await savepoint.commit();
    return 'success';
  }

  private async runHandler(
    { event, origin }: ValidRecord,
    transaction: Transaction,
    effects: RecordEffects,
  ): Promise<void> {
    const handler = this.options.handlers[event.eventType] as EventHandler<EventType>;
    await handler(event, {
      transaction,
      origin,
      afterCommit: effects.afterCommit,
      publish: async (...events) => {
        await this.options.outbox.append(transaction, events);
        if (events.length > 0) effects.onPublished();
      },
    });
  }

  private logProcessed({ event, origin, message }: ValidRecord): void {
    this.log.info(
      {
        orderId: event.aggregateId,
        itemCount: itemCountOf(event),
        eventType: event.eventType,
        eventId: event.eventId,
        topic: origin.topic,
        partition: origin.partition,
        offset: message.offset,
      },
      'message processed',
    );
  }

  private async onHandlerError(
    message: KafkaMessage,
    origin: RecordOrigin,
    event: Envelope,
    error: unknown,
  ): Promise<MessageStatus> {
    const exceptionClass = errorClassName(error);
    switch (classifyError(error)) {
      case 'business':
        this.log.warn(
          {
            exceptionClass,
            reason: (error as Error).message,
            orderId: event.aggregateId,
            eventType: event.eventType,
            topic: origin.topic,
          },
          'business error, message skipped',
        );
        return 'skip';
      case 'retryable':
        if (origin.attempt < RETRY_TIERS) {
          await this.retry(message, origin, event, error);
          return 'retry';
        }
        await this.deadLetter(message, origin, error);
        return 'dlq';
      default:
        await this.deadLetter(message, origin, error);
        return 'dlq';
    }
  }

  private async retry(
    message: KafkaMessage,
    origin: RecordOrigin,
    event: Envelope,
    error: unknown,
  ): Promise<void> {
    const { topology, settings, producer } = this.options;
    const attempt = origin.attempt + 1;
    const retryTopic = topology.retryTopics[attempt - 1]!;
    const delayMs = settings.retryDelaysMs[attempt - 1] ?? 0;
    const out = retryOf(retryTopic, message, origin, attempt, delayMs, error);
    try {
      await producer.send(out.topic, out.message);
    } catch (sendError) {
      throw new OutcomeNotRecordedError(`could not send to ${retryTopic}`, { cause: sendError });
    }
    this.log.warn(
      {
        orderId: event.aggregateId,
        eventId: event.eventId,
        topic: origin.topic,
        retryTopic,
        attempt,
        delayMs,
        exceptionClass: errorClassName(error),
        reason: (error as Error)?.message,
      },
      'retryable error, message sent to retry topic',
    );
  }

  private async deadLetter(
    message: KafkaMessage,
    origin: RecordOrigin,
    error: unknown,
  ): Promise<void> {
    const out = deadLetterOf(this.options.topology.service, message, origin, error);
    try {
      await this.options.producer.send(out.topic, out.message);
    } catch (sendError) {
      throw new OutcomeNotRecordedError(`could not send to ${out.topic}`, { cause: sendError });
    }
    this.log.error(
      {
        originalTopic: origin.topic,
        dlqTopic: out.topic,
        exceptionClass: errorClassName(error),
        reason: (error as Error)?.message,
        partition: origin.partition,
        offset: origin.offset,
      },
      'DLQ send succeeded',
    );
  }
}

/** The guide's itemCount: how many lines or items the event carries. */
function itemCountOf(event: Envelope): number | undefined {
  const payload = event.payload as Record<string, unknown>;
  for (const field of ['lines', 'reservedItems', 'items', 'shortLines']) {
    const value = payload[field];
    if (Array.isArray(value)) return value.length;
  }
  return undefined;
}
