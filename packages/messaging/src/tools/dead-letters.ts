import type { IHeaders, Kafka } from 'kafkajs';
import { PRIMARY_TOPICS, dlqTopicOf } from '@shop/contracts';
import { DLQ_HEADERS, RETRY_HEADERS, headerString, ownHeaders } from '../headers';
import type { ReliableProducer } from '../producer';
import { readToEnd } from './read-topic';

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
}

export interface DeadLetterFilter {
  readonly dlqTopic?: string;
  readonly service?: string;
  readonly errorClass?: string;
}

/** Marks a replayed record, so its trail leads back to the DLQ entry it came from. */
export const REPLAY_HEADER = 'replay.of';

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
      .map(({ topic, partition, message }) => {
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
        };
      })
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
      const target = `${d.service}-retry-1`;
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
