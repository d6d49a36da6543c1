import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Sequelize } from 'sequelize';
import type { Envelope } from '@shop/contracts';
import type { Logger, MessageStatus } from '@shop/observability';
import { isLockConflict } from '../errors';
import { RETRY_HEADERS, headerString } from '../headers';
import type { MessagingMetrics } from '../metrics';
import type { ReliableProducer } from '../producer';
import type { MessagingSettings } from '../settings';
import type { CollectingScope } from '../transaction-scope';
import type { TransactionScopes } from '../transactions';
import { inCurrentContext, withConsumerSpan } from '../tracing';
import { decodeRecord, type DecodedRecord, type ValidRecord } from './decoded-record';
import { FailurePolicy, type FailureOutcome, type FailureRecord } from './failure-policy';
import type { EventSubscription } from './handlers';
import { ProcessedEvents } from './processed-events';
import { CommitsByRecordCount, CommitsByTime, type OffsetCommits } from './offset-commits';
import { patchKafkajsConsumer } from './kafkajs-patches';
import { logProcessed } from './processed-log';
import { originOf } from './record-origin';
import type { ConsumerTopology } from './topology';

export interface MessageConsumerOptions {
  readonly topology: ConsumerTopology;
  readonly kafka: Kafka;
  readonly producer: ReliableProducer;
  /** The transactions records are applied in; they wake the relay when events were committed. */
  readonly scopes: TransactionScopes;
  readonly sequelize: Sequelize;
  readonly subscription: EventSubscription;
  readonly settings: MessagingSettings['consumer'];
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
}

/**
 * Savepoints in one transaction when handlers run isolated. PostgreSQL keeps 64 subtransactions
 * per transaction in shared memory; past that every other session's snapshots slow down.
 */
const SAVEPOINTS_PER_TRANSACTION = 50;

/** The chunk's transaction is rolled back and the chunk applied again, more carefully. */
class ChunkRestart extends Error {
  override readonly name = 'ChunkRestart';
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
  private restartTimer: NodeJS.Timeout | undefined;
  /** Crashes since the group was last joined: how long the next restart waits. */
  private crashes = 0;
  private stopping = false;
  private listening = false;
  private readonly log: Logger;
  private readonly processed: ProcessedEvents;
  private readonly failures: FailurePolicy;
  private readonly commits: OffsetCommits;

  constructor(private readonly options: MessageConsumerOptions) {
    const { kafka, topology, settings, sequelize, producer } = options;
    patchKafkajsConsumer();
    this.log = options.logger.child({ component: 'consumer', groupId: topology.groupId });
    this.processed = new ProcessedEvents(sequelize, topology.groupId);
    this.failures = new FailurePolicy(topology, settings, producer, this.log);
    this.commits =
      settings.commitIntervalMs > 0
        ? new CommitsByTime(settings.commitIntervalMs, this.log)
        : new CommitsByRecordCount(settings.commitEveryRecords);
    this.consumer = kafka.consumer({
      groupId: topology.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      maxWaitTimeInMs: settings.fetchMaxWaitMs,
      minBytes: settings.fetchMinBytes,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      // The back-off comes from the Kafka instance (createKafka); kafkajs' own default is 5 attempts.
      retry: { retries: settings.retries },
      metadataMaxAge: settings.metadataMaxAgeMs,
    });
  }

  get events(): Consumer['events'] {
    return this.consumer.events;
  }

  on: Consumer['on'] = (...args) => this.consumer.on(...args);

  async start(): Promise<void> {
    const { topology } = this.options;
    this.options.metrics.initialize(topology.service, topology.topics);
    this.stopping = false;
    // A start that failed (Kafka away at start-up) is stopped and started again: listen once.
    if (!this.listening) this.listen();
    await this.join();
  }

  private listen(): void {
    this.listening = true;
    // kafkajs tells of a rebalance before it rejoins: the owed offsets go first, in the old
    // generation, which the coordinator still accepts while the group prepares its rebalance.
    this.consumer.on(this.consumer.events.REBALANCING, () => void this.commits.flush());
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.commits.forget();
      this.crashes = 0;
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      // Offsets owed belong to a membership that is gone.
      this.commits.forget();
      if (!payload.restart) this.restartAfterCrash(payload.error);
    });
  }

  private async join(): Promise<void> {
    const { topology, settings } = this.options;
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

  /**
   * kafkajs restarts a crashed consumer only after an error it deems retriable. A plain "Broker
   * not connected" met while restarting, as brokers came and went, left inventory-service
   * consuming nothing for good (chaos run, network faults): the kit restarts it itself, with a
   * pause that grows to 10 s until the group is joined again.
   */
  private restartAfterCrash(error: Error): void {
    if (this.stopping || this.restartTimer) return;
    const inMs = Math.min(1_000 * 2 ** this.crashes++, 10_000);
    this.log.error(
      { err: error, restartInMs: inMs },
      'the consumer crashed and kafkajs will not restart it; restarting it',
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.join().catch((err: Error) => this.restartAfterCrash(err));
    }, inMs);
  }

  /** Finishes the batch in hand, commits its offsets, and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    // Batches still in hand commit their own offsets as they end; this covers quiet partitions.
    await this.commits.flush();
    await this.consumer.disconnect();
    this.commits.forget();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, pause } = payload;
    const { topic, partition, messages } = batch;
    const { recordsPerTransaction } = this.options.settings;
    const fromRetryTopic = this.options.topology.retryTopics.includes(topic);
    const offsets = this.commits.forBatch(payload);
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
          const last = chunk[chunk.length - 1]!.offset;
          resolveOffset(last);
          offsets.applied(last, chunk.length);
          await heartbeat();
        }
        if (held) break;
      }
    } catch (error) {
      await offsets.finish(true);
      throw error;
    }
    await offsets.finish(false);
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
    const { subscription, topology } = this.options;
    const records = messages.map((m) =>
      decodeRecord(
        m,
        originOf(topic, partition, m, fromRetryTopic),
        subscription,
        topology.service,
      ),
    );
    // A record alone skips the savepoint (two statements) unless told otherwise.
    const together = records.length > 1 || !this.options.settings.savepointForSingleRecord;
    if (together) {
      try {
        return await this.applyChunk(topic, records, 'together');
      } catch (error) {
        if (!(error instanceof ChunkRestart)) throw error;
        // A record alone is not run again: its failure is known, and what its handler did outside
        // the database (a gateway call) would happen twice and use up two of its attempts.
        if (records.length === 1) {
          return await this.applyChunk(topic, records, { failedWith: error.cause });
        }
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

  /**
   * Outcomes are counted and logged after the commit, so a rolled-back chunk reports nothing. The
   * records bound for a retry tier or a DLQ are sent then too, before the chunk's offsets move:
   * a chunk whose commit fails decides again when it runs again, and had it sent them already,
   * they would be written twice.
   */
  private async applyChunk(
    topic: string,
    records: readonly DecodedRecord[],
    mode: 'together' | 'isolated' | { readonly failedWith: unknown },
  ): Promise<void> {
    const { scopes, topology, metrics } = this.options;
    const outcomes: Array<{
      topic: string;
      status: MessageStatus;
      seconds: number;
      failure?: FailureRecord;
    }> = [];
    const lines: Array<() => void> = [];
    await scopes.run(async (chunk) => {
      const valid = records.flatMap((r) => ('event' in r ? [r] : []));
      const fresh = await this.processed.markNew(valid, chunk.transaction);
      // A record alone in its savepoint takes its step there, so a failing step gets its outcome.
      if (mode === 'together' || records.length > 1) await this.beforeChunk(valid, fresh, chunk);
      // A record's log lines are bound to its span, so they keep the traceId; a success line is
      // only bound when info lines are written.
      const logsInfo = this.log.isLevelEnabled('info');
      for (const record of records) {
        await withConsumerSpan(topic, topology.groupId, record.message.headers, async () => {
          const started = process.hrtime.bigint();
          const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
          const outcome = ({ status, record: failure }: FailureOutcome, log?: () => void) => {
            outcomes.push({
              topic: record.origin.topic,
              status,
              seconds: seconds(),
              ...(failure && { failure: { ...failure, sent: inCurrentContext(failure.sent) } }),
            });
            if (log && logsInfo) lines.push(inCurrentContext(log));
          };
          try {
            if ('invalid' in record) {
              const failure = this.failures.deadLetter(
                record.message,
                record.origin,
                record.invalid,
              );
              return outcome({ status: 'dlq', record: failure });
            }
            const { event, origin } = record;
            if (!fresh.delete(event.eventId)) {
              return outcome({ status: 'skip' }, () =>
                this.log.info(
                  { eventId: event.eventId, eventType: event.eventType, topic: origin.topic },
                  'already processed, message skipped',
                ),
              );
            }
            const result =
              mode === 'together'
                ? await this.applyTogether(record, chunk)
                : mode === 'isolated'
                  ? await this.applyIsolated(record, chunk, records.length === 1)
                  : await this.onFailure(record, chunk, mode.failedWith);
            outcome(
              result,
              result.status === 'success' ? () => logProcessed(this.log, record) : undefined,
            );
          } catch (error) {
            if (error instanceof ChunkRestart) throw error;
            metrics.recordOutcome(
              { service: topology.service, topic: record.origin.topic, status: 'error' },
              seconds(),
            );
            throw error;
          }
        });
      }
    });
    // After the handlers' own after-commit work, so a line never announces what is not done.
    let sent = false;
    try {
      await this.failures.send(outcomes.flatMap(({ failure }) => (failure ? [failure] : [])));
      sent = true;
    } finally {
      for (const line of lines) line();
      for (const { topic: origin, status, seconds, failure } of outcomes) {
        // A record whose retry or dead letter was not sent comes again: its outcome is an error.
        const counted = failure && !sent ? 'error' : status;
        metrics.recordOutcome(
          { service: topology.service, topic: origin, status: counted },
          seconds,
        );
      }
    }
  }

  /** The subscription's chunk step, for the events not processed before, each once. */
  private async beforeChunk(
    records: readonly ValidRecord[],
    fresh: ReadonlySet<string>,
    chunk: CollectingScope,
  ): Promise<void> {
    const step = this.options.subscription.beforeChunk;
    if (!step) return;
    const events = new Map<string, Envelope>();
    for (const { event } of records) {
      if (fresh.has(event.eventId) && !events.has(event.eventId)) events.set(event.eventId, event);
    }
    if (events.size === 0) return;
    try {
      await step([...events.values()], chunk);
    } catch (error) {
      throw new ChunkRestart('the chunk step failed; applying its records one by one', {
        cause: error,
      });
    }
  }

  /** The handler straight in the chunk's transaction; any failure restarts the chunk isolated. */
  private async applyTogether(
    record: ValidRecord,
    chunk: CollectingScope,
  ): Promise<FailureOutcome> {
    try {
      await this.options.subscription.apply(record.event, chunk);
    } catch (error) {
      throw new ChunkRestart('a handler failed in a shared chunk', { cause: error });
    }
    return { status: 'success' };
  }

  /**
   * The handler in its own savepoint, so a failing record rolls back alone. A lock conflict in a
   * chunk of several splits the chunk instead.
   */
  private async applyIsolated(
    record: ValidRecord,
    chunk: CollectingScope,
    alone: boolean,
  ): Promise<FailureOutcome> {
    const { event } = record;
    const savepoint = await this.options.sequelize.transaction({ transaction: chunk.transaction });
    const scope = chunk.nested(savepoint);
    try {
      if (alone) await this.options.subscription.beforeChunk?.([event], scope);
      await this.options.subscription.apply(event, scope);
    } catch (error) {
      if (!alone && isLockConflict(error)) {
        throw new ChunkRestart('lock conflict in a chunk; applying its records one by one', {
          cause: error,
        });
      }
      // A savepoint that cannot be rolled back leaves the transaction unusable: the chunk fails.
      await savepoint.rollback();
      return this.onFailure(record, chunk, error);
    }
    await savepoint.commit();
    chunk.adopt(scope);
    return { status: 'success' };
  }

  /**
   * The three tiers for a record whose handler failed. On a business error the event stays marked
   * processed (it is skipped for good); a record sent to a retry topic or the DLQ is unmarked, so
   * it is applied when it comes back.
   */
  private async onFailure(
    { event, origin, message }: ValidRecord,
    chunk: CollectingScope,
    error: unknown,
  ): Promise<FailureOutcome> {
    const outcome = this.failures.onHandlerError(message, origin, event, error);
    if (outcome.status !== 'skip') await this.processed.unmark(event.eventId, chunk.transaction);
    return outcome;
  }
}
