import crypto from 'node:crypto';
import { createEnvelope } from '@shop/contracts';

/** An OrderCreated record as the saga writes it: the benchmarks' record shape and size. */
export function orderCreatedRecord(): { key: string; value: string } {
  const orderId = crypto.randomUUID();
  const envelope = createEnvelope(
    'OrderCreated',
    orderId,
    {
      orderId,
      customerId: `customer-${orderId.slice(0, 6)}`,
      lines: [
        { productId: 'PROD-001', quantity: 2 },
        { productId: 'PROD-004', quantity: 1 },
      ],
      paymentMethod: { type: 'card', reference: 'tok_visa' },
    },
    { correlationId: orderId, causationId: orderId },
  );
  return { key: orderId, value: JSON.stringify(envelope) };
}

/** Seconds since `started` (an hrtime), as a float. */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
