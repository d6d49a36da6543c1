import type { KafkaMessage } from 'kafkajs';
import { RETRY_HEADERS, headerString } from '../headers';
import { replayCountOf } from '../tools/dead-letters';

/** Where a record first arrived, and how many retries it has had. */
export interface RecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 0 on the primary topic; n when read from retry tier n. */
  readonly attempt: number;
  /**
   * The record as read, `<topic>/<partition>/<offset>`: what the consumer decides on. A record
   * read twice (its offset not committed before a crash) is read at the same place.
   */
  readonly readAt: string;
  /** How often an operator has sent it back from a DLQ (its `replay.count`; 0 for none). */
  readonly replays: number;
}

export function originOf(
  topic: string,
  partition: number,
  message: KafkaMessage,
  fromRetryTopic: boolean,
): RecordOrigin {
  const h = message.headers;
  const read = { readAt: `${topic}/${partition}/${message.offset}`, replays: replayCountOf(h) };
  if (!fromRetryTopic) return { topic, partition, offset: message.offset, attempt: 0, ...read };
  const originalTopic = headerString(h, RETRY_HEADERS.originalTopic);
  const originalPartition = Number(headerString(h, RETRY_HEADERS.originalPartition));
  const originalOffset = headerString(h, RETRY_HEADERS.originalOffset);
  const attempt = Number(headerString(h, RETRY_HEADERS.attempt));
  // A retry record without its bookkeeping is reported against the retry topic itself.
  if (
    !originalTopic ||
    !originalOffset ||
    !Number.isInteger(originalPartition) ||
    !Number.isInteger(attempt)
  ) {
    return { topic, partition, offset: message.offset, attempt: Number.MAX_SAFE_INTEGER, ...read };
  }
  return {
    topic: originalTopic,
    partition: originalPartition,
    offset: originalOffset,
    attempt,
    ...read,
  };
}
