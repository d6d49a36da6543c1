import type { IHeaders, Kafka } from 'kafkajs';
import { PRIMARY_TOPICS, dlqTopicOf } from '@shop/contracts';
import { DLQ_HEADERS, RETRY_HEADERS, headerString, ownHeaders } from '../headers';
import type { ReliableProducer } from '../producer';
import { readToEnd, type ReadRecord } from './read-topic';

export interface DeadLetter {
  readonly dlqTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly service: string;
  readonly originalTopic: string;
  readonly originalPartition: string;
  readonly originalOffset: string;
  readonly errorClass: string;
  readonly errorMessage: string;
  readonly errorTimestamp: string;
  /** How often an operator has sent this record back already (0 for a first failure). */
  readonly replayCount: number;
}

export interface DeadLetterFilter {
  readonly dlqTopic?: string;
  readonly service?: string;
  readonly errorClass?: string;
}

/** Marks a replayed record, so its trail leads back to the DLQ entry it came from. */
export const REPLAY_HEADER = 'replay.of';

/**
 * How many times the record has been replayed from a DLQ. Not a retry.* or dlq.* header, so the
 * consumer copies it onto the record it dead-letters again: the count survives each round trip,
 * and whoever decides where a record that failed once more goes (the console, the consumer's
 * parking) reads it here.
 */
export const REPLAY_COUNT_HEADER = 'replay.count';

/** The replay count a record carries; a missing or garbled header counts as never replayed. */
export function replayCountOf(headers: IHeaders | undefined): number {
  const count = Number(headerString(headers, REPLAY_COUNT_HEADER));
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/** A record read from a DLQ topic, with its dlq.* headers read out. */
export function readDeadLetter({ topic, partition, message }: ReadRecord): DeadLetter {
  const h = message.headers;
  return {
    dlqTopic: topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: h ?? {},
    service: headerString(h, DLQ_HEADERS.service) ?? '',
    originalTopic: headerString(h, DLQ_HEADERS.originalTopic) ?? '',
    originalPartition: headerString(h, DLQ_HEADERS.originalPartition) ?? '',
    originalOffset: headerString(h, DLQ_HEADERS.originalOffset) ?? '',
    errorClass: headerString(h, DLQ_HEADERS.errorClass) ?? '',
    errorMessage: headerString(h, DLQ_HEADERS.errorMessage) ?? '',
    errorTimestamp: headerString(h, DLQ_HEADERS.errorTimestamp) ?? '',
    replayCount: replayCountOf(h),
  };
}

/** Where a replay goes: the first retry tier of the service that failed the record. */
export function replayTargetOf(letter: DeadLetter): string {
  return `${letter.service}-retry-1`;
}

export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';
}

/** Lists, inspects and replays dead letters, for the operator after a fix. */
export class DeadLetterStore {
  constructor(
    private readonly kafka: Kafka,
    private readonly dlqTopics: readonly string[] = PRIMARY_TOPICS.map((t) => dlqTopicOf(t.name)),
  ) {}

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const topics = await this.topicsFor(filter.dlqTopic);
    const records = await readToEnd(this.kafka, topics);
    return records
      .map(readDeadLetter)
      .filter(
        (d) =>
          (!filter.service || d.service === filter.service) &&
          (!filter.errorClass || d.errorClass === filter.errorClass),
      );
  }

  async find(dlqTopic: string, partition: number, offset: string): Promise<DeadLetter | undefined> {
    return (await this.list({ dlqTopic })).find(
      (d) => d.partition === partition && d.offset === offset,
    );
  }

  /**
   * Sends dead letters back to the service that failed them, through that service's first retry
   * tier: other services never see the record a second time.
   */
  async replay(letters: readonly DeadLetter[], producer: ReliableProducer): Promise<string[]> {
    const targets: string[] = [];
    for (const d of letters) {
      const target = replayTargetOf(d);
      await producer.send(target, {
        key: d.key,
        value: d.value,
        headers: {
          ...ownHeaders(d.headers),
          [RETRY_HEADERS.attempt]: '1',
          [RETRY_HEADERS.originalTopic]: d.originalTopic,
          [RETRY_HEADERS.originalPartition]: d.originalPartition,
          [RETRY_HEADERS.originalOffset]: d.originalOffset,
          [RETRY_HEADERS.notBefore]: String(Date.now()),
          [REPLAY_HEADER]: `${d.dlqTopic}/${d.partition}/${d.offset}`,
          [REPLAY_COUNT_HEADER]: String(d.replayCount + 1),
        },
      });
      targets.push(target);
    }
    return targets;
  }

  private async topicsFor(dlqTopic: string | undefined): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      if (dlqTopic !== undefined) {
        if (!existing.has(dlqTopic) || !dlqTopic.endsWith('-dlq')) {
          throw new UnknownTopicError(
            `no such DLQ topic: ${dlqTopic} (DLQ topics are named <topic>-dlq)`,
          );
        }
        return [dlqTopic];
      }
      return this.dlqTopics.filter((t) => existing.has(t));
    } finally {
      await admin.disconnect();
    }
  }
}
