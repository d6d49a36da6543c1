import type { KafkaMessage, TopicMessages } from 'kafkajs';
import { RETRY_TIERS, parkingTopicOf, type Envelope } from '@shop/contracts';
import type { Logger, MessageStatus } from '@shop/observability';
import { classifyError, errorClassName } from '../errors';
import type { MessagingSettings } from '../settings';
import { deadLetterOf, retryOf, type OutgoingRecord } from './dead-letter';
import type { RecordOrigin } from './record-origin';
import type { ConsumerTopology } from './topology';

/** What happens to a record whose handler failed, by the guide's three tiers. */
export type FailureDecision =
  | { readonly status: 'skip' }
  | {
      readonly status: 'retry';
      readonly attempt: number;
      readonly retryTopic: string;
      readonly delayMs: number;
    }
  | DeadLetterDecision;

export type DeadLetterDecision =
  | { readonly status: 'dlq' }
  /** Replayed from the DLQ as often as allowed and failed again: kept for a person instead. */
  | { readonly status: 'park'; readonly replays: number };

/** The DLQ, or the parking topic for a record that has had its replays. */
export function deadLetterDecision(origin: RecordOrigin, maxReplays: number): DeadLetterDecision {
  return origin.replays >= maxReplays
    ? { status: 'park', replays: origin.replays }
    : { status: 'dlq' };
}

/**
 * Business error -> skip for good; retryable -> this service's next retry tier, the DLQ after
 * the last; anything else (a bug, bad data) -> the DLQ at once. Where the DLQ would be, a record
 * replayed `maxReplays` times already is parked.
 */
export function decideOnFailure(
  error: unknown,
  origin: RecordOrigin,
  retryTopics: readonly string[],
  retryDelaysMs: readonly number[],
  maxReplays: number,
): FailureDecision {
  switch (classifyError(error)) {
    case 'business':
      return { status: 'skip' };
    case 'retryable': {
      if (origin.attempt >= RETRY_TIERS) return deadLetterDecision(origin, maxReplays);
      const attempt = origin.attempt + 1;
      return {
        status: 'retry',
        attempt,
        retryTopic: retryTopics[attempt - 1]!,
        delayMs: retryDelaysMs[attempt - 1] ?? 0,
      };
    }
    default:
      return deadLetterDecision(origin, maxReplays);
  }
}

/** Thrown when a record's outcome could not be recorded; its offset stays uncommitted. */
export class OutcomeNotRecordedError extends Error {
  override readonly name = 'OutcomeNotRecordedError';
}

export interface RecordSender {
  sendBatch(topicMessages: TopicMessages[]): Promise<unknown>;
}

/**
 * A record bound for a retry tier or a dead-letter topic. It is sent only once the chunk that
 * decided it has committed: a chunk whose commit fails runs again and decides again, and a record
 * sent before that commit would then be written twice.
 */
export interface FailureRecord {
  readonly out: OutgoingRecord;
  /** Logs the outcome; called once the record was sent. */
  readonly sent: () => void;
}

/** A handler failure's outcome: its status, and the record to send once the chunk committed. */
export interface FailureOutcome {
  readonly status: MessageStatus;
  readonly record?: FailureRecord;
}

/** Carries out the decision: builds the record for a retry tier or the DLQ, and logs why. */
export class FailurePolicy {
  constructor(
    private readonly topology: ConsumerTopology,
    private readonly settings: Pick<
      MessagingSettings['consumer'],
      'retryDelaysMs' | 'dlqMaxReplays'
    >,
    private readonly sender: RecordSender,
    private readonly log: Logger,
  ) {}

  onHandlerError(
    message: KafkaMessage,
    origin: RecordOrigin,
    event: Envelope,
    error: unknown,
  ): FailureOutcome {
    const decision = decideOnFailure(
      error,
      origin,
      this.topology.retryTopics,
      this.settings.retryDelaysMs,
      this.settings.dlqMaxReplays,
    );
    switch (decision.status) {
      case 'skip':
        this.log.warn(
          {
            exceptionClass: errorClassName(error),
            reason: (error as Error).message,
            orderId: event.aggregateId,
            eventType: event.eventType,
            topic: origin.topic,
          },
          'business error, message skipped',
        );
        return { status: 'skip' };
      case 'retry': {
        const { attempt, retryTopic, delayMs } = decision;
        const out = retryOf(retryTopic, message, origin, attempt, delayMs, error);
        const sent = () =>
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
        return { status: 'retry', record: { out, sent } };
      }
      case 'dlq':
      case 'park':
        return { status: 'dlq', record: this.deadLetter(message, origin, error) };
    }
  }

  /**
   * Malformed records and failures past retrying: the original bytes, with the dlq.* headers, to
   * the DLQ, or to the parking topic once the record has had its replays. A parked record counts
   * as a dead letter in the metrics: it waits for a person all the same.
   */
  deadLetter(message: KafkaMessage, origin: RecordOrigin, error: unknown): FailureRecord {
    const letter = deadLetterOf(this.topology.service, message, origin, error);
    const decision = deadLetterDecision(origin, this.settings.dlqMaxReplays);
    if (decision.status === 'park') {
      const out = { ...letter, topic: parkingTopicOf(origin.topic) };
      const sent = () =>
        this.log.error(
          {
            originalTopic: origin.topic,
            parkingTopic: out.topic,
            replays: decision.replays,
            exceptionClass: errorClassName(error),
            reason: (error as Error)?.message,
            partition: origin.partition,
            offset: origin.offset,
          },
          `record parked after ${decision.replays} replays`,
        );
      return { out, sent };
    }
    const out = letter;
    const sent = () =>
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
    return { out, sent };
  }

  /** Sends a committed chunk's records in one request, in their order, then logs each. */
  async send(records: readonly FailureRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, TopicMessages>();
    for (const { out } of records) {
      const entry = byTopic.get(out.topic) ?? { topic: out.topic, messages: [] };
      entry.messages.push(out.message);
      byTopic.set(out.topic, entry);
    }
    try {
      await this.sender.sendBatch([...byTopic.values()]);
    } catch (sendError) {
      const topics = [...byTopic.keys()].join(', ');
      throw new OutcomeNotRecordedError(`could not send to ${topics}`, { cause: sendError });
    }
    for (const { sent } of records) sent();
  }
}
