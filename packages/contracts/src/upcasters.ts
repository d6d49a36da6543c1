import type { z } from 'zod';
import type { CancellationCode, EventType, PayloadVersions } from './events';

type V<T extends EventType, I extends number> = z.infer<
  PayloadVersions[T][I & keyof PayloadVersions[T]]
>;

/**
 * v1's reason was order-service's sentence; its only writer built it in exactly three ways
 * (services/order-service/src/domain/order.ts), so the code is recovered from the sentence's form.
 */
function cancellationCodeOf(reason: string): Exclude<CancellationCode, 'deadline_passed'> {
  if (reason === 'insufficient stock') return 'insufficient_stock';
  if (reason.startsWith('payment failed: ')) return 'payment_failed';
  return 'customer';
}

/**
 * How a payload of version n of an event type becomes one of version n + 1. decodeEnvelope chains
 * them, so every handler sees the current version only, whatever was on the topic or in the DLQ.
 */
export const UPCASTERS: {
  readonly [T in EventType]?: Readonly<Record<number, (payload: never) => unknown>>;
} = {
  OrderCancelled: {
    1: (v1: V<'OrderCancelled', 0>): V<'OrderCancelled', 1> => ({
      ...v1,
      reason: { code: cancellationCodeOf(v1.reason), detail: v1.reason },
    }),
    2: (v2: V<'OrderCancelled', 1>): V<'OrderCancelled', 2> => v2,
  },
  StockRestored: {
    1: (v1: V<'StockRestored', 0>): V<'StockRestored', 1> => v1,
  },
};

export function upcasterOf(
  eventType: EventType,
  fromVersion: number,
): ((payload: unknown) => unknown) | undefined {
  return UPCASTERS[eventType]?.[fromVersion] as ((payload: unknown) => unknown) | undefined;
}
