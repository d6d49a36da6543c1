import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { RETRY_TIERS, decodeEnvelope, type Envelope, type EventType } from '@shop/contracts';
import type { Logger, MessageStatus } from '@shop/observability';
import { classifyError, errorClassName, UnhandledEventTypeError } from '../errors';
import { RETRY_HEADERS, headerString } from '../headers';
import type { MessagingMetrics } from '../metrics';
import type { Outbox } from '../outbox/outbox';
import type { ReliableProducer } from '../producer';
import type { MessagingSettings } from '../settings';
import { deadLetterOf, retryOf } from './dead-letter';
import { originOf, type RecordOrigin } from './record-origin';
import type { ConsumerTopology } from './topology';
import { withConsumerSpan } from '../tracing';

export interface HandlerContext {
  /** The transaction that also records the event as processed: write state through it. */
  readonly transaction: Transaction;
  /** Appends events to the outbox in the same transaction. */
  publish(...events: Envelope[]): Promise<void>;
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
    const { topic, partition } = batch;
    const fromRetryTopic = this.options.topology.retryTopics.includes(topic);
    let lastResolved: string | undefined;
    let sinceCommit = 0;
    const commit = async () => {
      if (lastResolved === undefined || sinceCommit === 0) return;
      const offset = (BigInt(lastResolved) + 1n).toString();
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      sinceCommit = 0;
    };

    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        if (fromRetryTopic && this.holdUntilDue(message, pause)) break;
        await withConsumerSpan(topic, this.options.topology.groupId, message.headers, () =>
          this.handleRecord(topic, partition, message, fromRetryTopic),
        );
        resolveOffset(message.offset);
        lastResolved = message.offset;
        if (++sinceCommit >= this.options.settings.commitEveryRecords) await commit();
        await heartbeat();
      }
    } finally {
      await commit();
    }
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

  private async handleRecord(
    topic: string,
    partition: number,
    message: KafkaMessage,
    fromRetryTopic: boolean,
  ): Promise<void> {
    const started = process.hrtime.bigint();
    const origin = originOf(topic, partition, message, fromRetryTopic);
    const record = (status: MessageStatus) =>
      this.options.metrics.recordOutcome(
        { service: this.options.topology.service, topic: origin.topic, status },
        Number(process.hrtime.bigint() - started) / 1e9,
      );

    try {
      let event: Envelope;
      try {
        event = decodeEnvelope(message.value);
        if (!this.options.handlers[event.eventType]) {
          throw new UnhandledEventTypeError(
            `${this.options.topology.service} has no handler for ${event.eventType}`,
          );
        }
      } catch (error) {
        await this.deadLetter(message, origin, error);
        return record('dlq');
      }

      try {
        const applied = await this.applyOnce(event, origin);
        if (applied) {
          this.log.info(
            {
              orderId: event.aggregateId,
              itemCount: itemCountOf(event),
              eventType: event.eventType,
              eventId: event.eventId,
              topic: origin.topic,
              partition,
              offset: message.offset,
            },
            'message processed',
          );
          return record('success');
        }
        this.log.info(
          { eventId: event.eventId, eventType: event.eventType, topic: origin.topic },
          'already processed, message skipped',
        );
        return record('skip');
      } catch (error) {
        const status = await this.onHandlerError(message, origin, event, error);
        return record(status);
      }
    } catch (error) {
      record('error');
      throw error;
    }
  }

  private async applyOnce(event: Envelope, origin: RecordOrigin): Promise<boolean> {
    const { sequelize, outbox, topology, onEventsCommitted } = this.options;
    const handler = this.options.handlers[event.eventType] as EventHandler<EventType>;
    return sequelize.transaction(async (transaction) => {
      const inserted = await sequelize.query(
        `INSERT INTO processed_events (consumer_group, event_id, event_type, topic, "partition", "offset")
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
        {
          bind: [
            topology.groupId,
            event.eventId,
            event.eventType,
            origin.topic,
            origin.partition,
            origin.offset,
          ],
          transaction,
          type: QueryTypes.SELECT,
        },
      );
      if (inserted.length === 0) return false;
      let published = false;
      await handler(event, {
        transaction,
        origin,
        publish: async (...events) => {
          await outbox.append(transaction, events);
          published = published || events.length > 0;
        },
      });
      if (published && onEventsCommitted) transaction.afterCommit(onEventsCommitted);
      return true;
    });
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
          await this.retry(message, origin, error);
          return 'retry';
        }
        await this.deadLetter(message, origin, error);
        return 'dlq';
      default:
        await this.deadLetter(message, origin, error);
        return 'dlq';
    }
  }

  private async retry(message: KafkaMessage, origin: RecordOrigin, error: unknown): Promise<void> {
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
