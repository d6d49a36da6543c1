import type { DeadLetterQuery } from '../../domain/dead-letter-query';

/** The filter fields of the Dead letters page, as a query string or hidden form fields carry them. */
export interface FilterFields {
  readonly service?: string;
  readonly topic?: string;
  readonly errorClass?: string;
  /** `YYYY-MM-DDTHH:mm` (a datetime-local input), read as UTC. */
  readonly from?: string;
  readonly to?: string;
  readonly q?: string;
}

const FIELDS = ['service', 'topic', 'errorClass', 'from', 'to', 'q'] as const;

export function filterFieldsOf(get: (name: string) => string | null | undefined): FilterFields {
  const fields: Record<string, string> = {};
  for (const name of FIELDS) {
    const value = get(name)?.trim();
    if (value) fields[name] = value.slice(0, 200);
  }
  return fields;
}

export class InvalidFilterError extends Error {
  override readonly name = 'InvalidFilterError';
}

/** A time without a zone is UTC, as every time the console shows. */
function timeOf(field: string, value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const zoned = /(Z|[+-]\d\d:\d\d)$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw new InvalidFilterError(`${field} is not a time: ${value}`);
  return new Date(ms);
}

export function queryOf(fields: FilterFields): DeadLetterQuery {
  return {
    service: fields.service,
    originalTopic: fields.topic,
    errorClass: fields.errorClass,
    from: timeOf('from', fields.from),
    to: timeOf('to', fields.to),
    text: fields.q,
  };
}

/** The filter in words, as a replay's scope is recorded. */
export function describeFilter(fields: FilterFields): string {
  const parts = FIELDS.filter((f) => fields[f]).map((f) => `${f}=${fields[f]}`);
  return parts.length > 0 ? parts.join(' ') : 'no filter';
}
