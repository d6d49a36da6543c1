import type { IHeaders } from 'kafkajs';

// The names are part of the published contract (AsyncAPI), so they live in @shop/contracts.
export { DLQ_HEADERS, RETRY_HEADERS, EVENT_TYPE_HEADER } from '@shop/contracts';

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
