import type { IHeaders, KafkaMessage } from 'kafkajs';
import { dlqTopicOf } from '@shop/contracts';
import { DLQ_HEADERS, ownHeaders, RETRY_HEADERS } from '../headers';
import { errorClassName } from '../errors';
import type { RecordOrigin } from './record-origin';

const MAX_STACKTRACE_BYTES = 8 * 1024;
const MAX_MESSAGE_BYTES = 2 * 1024;

export interface OutgoingRecord {
  readonly topic: string;
  readonly message: { key: Buffer | null; value: Buffer | null; headers: IHeaders };
}

/**
 * Where the dead letter was decided: the record as read, `<topic>/<partition>/<offset>` (a retry
 * tier's own place for a retried record). Not one of the guide's eight: the kit's, so a dead
 * letter sent again after a crash (decided and sent, its offset not yet committed) is known as the
 * same one, while a replayed record that fails again is read elsewhere and is a new dead letter.
 */
export const DEAD_LETTER_SOURCE_HEADER = 'dlq.source';

/**
 * The DLQ record: the original key and value byte for byte (even when unparseable), the
 * original's own headers, the guide's eight dlq.* headers and the kit's `dlq.source`.
 */
export function deadLetterOf(
  service: string,
  message: KafkaMessage,
  origin: RecordOrigin,
  error: unknown,
  now: Date = new Date(),
): OutgoingRecord {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    topic: dlqTopicOf(origin.topic),
    message: {
      key: message.key,
      value: message.value,
      headers: {
        ...ownHeaders(message.headers),
        [DLQ_HEADERS.service]: service,
        [DLQ_HEADERS.originalTopic]: origin.topic,
        [DLQ_HEADERS.originalPartition]: String(origin.partition),
        [DLQ_HEADERS.originalOffset]: origin.offset,
        [DLQ_HEADERS.errorTimestamp]: now.toISOString(),
        [DLQ_HEADERS.errorClass]: errorClassName(error),
        [DLQ_HEADERS.errorMessage]: truncate(err.message, MAX_MESSAGE_BYTES),
        [DLQ_HEADERS.errorStacktrace]: truncate(err.stack ?? '', MAX_STACKTRACE_BYTES),
        [DEAD_LETTER_SOURCE_HEADER]: origin.readAt,
      },
    },
  };
}

/** The record for retry tier `attempt`, due `delayMs` from now; key and value unchanged. */
export function retryOf(
  retryTopic: string,
  message: KafkaMessage,
  origin: RecordOrigin,
  attempt: number,
  delayMs: number,
  error: unknown,
  now: Date = new Date(),
): OutgoingRecord {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    topic: retryTopic,
    message: {
      key: message.key,
      value: message.value,
      headers: {
        ...ownHeaders(message.headers),
        [RETRY_HEADERS.attempt]: String(attempt),
        [RETRY_HEADERS.originalTopic]: origin.topic,
        [RETRY_HEADERS.originalPartition]: String(origin.partition),
        [RETRY_HEADERS.originalOffset]: origin.offset,
        [RETRY_HEADERS.notBefore]: String(now.getTime() + delayMs),
        [RETRY_HEADERS.errorClass]: errorClassName(error),
        [RETRY_HEADERS.errorMessage]: truncate(err.message, MAX_MESSAGE_BYTES),
      },
    },
  };
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncate(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let cut = bytes.subarray(0, maxBytes - 3).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return `${cut}...`;
}
