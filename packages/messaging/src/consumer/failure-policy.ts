import type { KafkaMessage } from 'kafkajs';
import { RETRY_TIERS, type Envelope } from '@shop/contracts';
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
  | { readonly status: 'dlq' };

/**
 * Business error -> skip for good; retryable -> this service's next retry tier, the DLQ after
 * the last; anything else (a bug, bad data) -> the DLQ at once.
 */
export function decideOnFailure(
  error: unknown,
  origin: RecordOrigin,
  retryTopics: readonly string[],
  retryDelaysMs: readonly number[],
): FailureDecision {
  switch (classifyError(error)) {
    case 'business':
      return { status: 'skip' };
    case 'retryable': {
      if (origin.attempt >= RETRY_TIERS) return { status: 'dlq' };
      const attempt = origin.attempt + 1;
      return {
        status: 'retry',
        attempt,
        retryTopic: retryTopics[attempt - 1]!,
        delayMs: retryDelaysMs[attempt - 1] ?? 0,
      };
    }
    default:
      return { status: 'dlq' };
  }
}

/** Thrown when a record's outcome could not be recorded; its offset stays uncommitted. */
export class OutcomeNotRecordedError extends Error {
  override readonly name = 'OutcomeNotRecordedError';
}

export interface RecordSender {
  send(topic: string, message: OutgoingRecord['message']): Promise<unknown>;
}

/** Carries out the decision: sends the record on to a retry tier or the DLQ, and logs why. */
export class FailurePolicy {
  constructor(
    private readonly topology: ConsumerTopology,
    private readonly retryDelaysMs: MessagingSettings['consumer']['retryDelaysMs'],
    private readonly sender: RecordSender,
    private readonly log: Logger,
  ) {}

  async onHandlerError(
    message: KafkaMessage,
    origin: RecordOrigin,
    event: Envelope,
    error: unknown,
  ): Promise<MessageStatus> {
    const decision = decideOnFailure(error, origin, this.topology.retryTopics, this.retryDelaysMs);
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
        break;
      case 'retry': {
        const { attempt, retryTopic, delayMs } = decision;
        await this.send(retryOf(retryTopic, message, origin, attempt, delayMs, error));
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
        break;
      }
      case 'dlq':
        await this.deadLetter(message, origin, error);
    }
    return decision.status;
  }

  /** Malformed records and failures past retrying: the original bytes, with the dlq.* headers. */
  async deadLetter(message: KafkaMessage, origin: RecordOrigin, error: unknown): Promise<void> {
    const out = deadLetterOf(this.topology.service, message, origin, error);
    await this.send(out);
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

  private async send(out: OutgoingRecord): Promise<void> {
    try {
      await this.sender.send(out.topic, out.message);
    } catch (sendError) {
      throw new OutcomeNotRecordedError(`could not send to ${out.topic}`, { cause: sendError });
    }
  }
}
