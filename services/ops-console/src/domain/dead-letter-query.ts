import { failedAt, type DeadLetterRecord } from './dead-letter';

/** What an operator narrows the dead letters to; every part is optional and they all must hold. */
export interface DeadLetterQuery {
  readonly service?: string;
  readonly originalTopic?: string;
  readonly errorClass?: string;
  /** Dead-lettered at or after. */
  readonly from?: Date;
  /** Dead-lettered before. */
  readonly to?: Date;
  /** Case-insensitive words, each found in the error message or the key (the order id). */
  readonly text?: string;
}

export function matchesQuery(record: DeadLetterRecord, query: DeadLetterQuery): boolean {
  if (query.service && record.service !== query.service) return false;
  if (query.originalTopic && record.originalTopic !== query.originalTopic) return false;
  if (query.errorClass && record.errorClass !== query.errorClass) return false;
  if (query.from || query.to) {
    const at = failedAt(record);
    if (at === undefined) return false;
    if (query.from && at < query.from.getTime()) return false;
    if (query.to && at >= query.to.getTime()) return false;
  }
  if (query.text) {
    const haystack = `${record.errorMessage}\n${record.key ?? ''}`.toLowerCase();
    const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.every((w) => haystack.includes(w))) return false;
  }
  return true;
}

/** Newest failure first; records without a time last, in DLQ order. */
export function newestFirst(a: DeadLetterRecord, b: DeadLetterRecord): number {
  return (failedAt(b) ?? -Infinity) - (failedAt(a) ?? -Infinity) || a.id.localeCompare(b.id);
}
