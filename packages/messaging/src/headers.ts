import type { IHeaders } from 'kafkajs';

/** The guide's DLQ headers, exactly. */
export const DLQ_HEADERS = {
  service: 'dlq.service',
  originalTopic: 'dlq.original.topic',
  originalPartition: 'dlq.original.partition',
  originalOffset: 'dlq.original.offset',
  errorTimestamp: 'dlq.error.timestamp',
  errorClass: 'dlq.error.class',
  errorMessage: 'dlq.error.message',
  errorStacktrace: 'dlq.error.stacktrace',
} as const;

/** What a record in a service's retry topic carries about where it came from and when to retry. */
export const RETRY_HEADERS = {
  attempt: 'retry.attempt',
  originalTopic: 'retry.original.topic',
  originalPartition: 'retry.original.partition',
  originalOffset: 'retry.original.offset',
  notBefore: 'retry.not-before',
  errorClass: 'retry.error.class',
  errorMessage: 'retry.error.message',
} as const;

export const EVENT_TYPE_HEADER = 'event-type';

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

/** The record's own headers, less the kit's bookkeeping (retry.* and dlq.*). */
export function ownHeaders(headers: IHeaders | undefined): IHeaders {
  const own: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || name.startsWith('retry.') || name.startsWith('dlq.')) continue;
    own[name] = value;
  }
  return own;
}
