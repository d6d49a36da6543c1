import { topicRoleOf } from '@shop/contracts';
/** One record in a DLQ, as the console shows and judges it. */
export interface DeadLetterRecord {
  /** `<dlq-topic>/<partition>/<offset>`: where it sits, and how pages and replays name it. */
  readonly id: string;
  readonly dlqTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly service: string;
  readonly originalTopic: string;
  readonly originalPartition: string;
  readonly originalOffset: string;
  readonly errorClass: string;
  readonly errorMessage: string;
  /** The dlq.error.timestamp header as written (ISO-8601), '' when missing. */
  readonly errorTimestamp: string;
  readonly replayCount: number;
  /** The key as UTF-8: the order id for every event of the saga. */
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export function deadLetterId(dlqTopic: string, partition: number, offset: string): string {
  return `${dlqTopic}/${partition}/${offset}`;
}

/** When the record was dead-lettered, in ms; undefined when the header is missing or garbled. */
export function failedAt(record: DeadLetterRecord): number | undefined {
  const ms = Date.parse(record.errorTimestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A record that has been replayed as often as allowed and failed again stays where it is, on its
 * parking topic where the consumer put it (or in the DLQ, written before parking existed): the
 * console will not send it back, and shows it as parked for a person to decide.
 */
export function isParked(record: DeadLetterRecord, maxReplays: number): boolean {
  return topicRoleOf(record.dlqTopic) === 'parking' || record.replayCount >= maxReplays;
}
