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
