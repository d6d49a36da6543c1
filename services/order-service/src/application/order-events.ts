import { createEnvelope, type Envelope, type EventOrigin } from '@shop/contracts';
import type { Order, OrderEvent } from '../domain/order';

/** Turns what the order announced into full events, with the order's current data. */
export function toEnvelopes(
  order: Order,
  events: readonly OrderEvent[],
  origin: EventOrigin,
  now: Date,
): Envelope[] {
  const o = order.snapshot;
  return events.map((event) => {
    switch (event.type) {
      case 'OrderCreated':
        return createEnvelope(
          'OrderCreated',
          o.id,
          {
            orderId: o.id,
            customerId: o.customerId,
            lines: [...o.lines],
            paymentMethod: o.paymentMethod,
          },
          origin,
          now,
        );
      case 'PaymentRequested':
        return createEnvelope(
          'PaymentRequested',
          o.id,
          {
            orderId: o.id,
            customerId: o.customerId,
            paymentMethod: o.paymentMethod,
            amountCents: o.amountCents!,
            currency: o.currency!,
          },
          origin,
          now,
        );
      case 'OrderCancelled':
        return createEnvelope(
          'OrderCancelled',
          o.id,
          {
            orderId: o.id,
            customerId: o.customerId,
            reason: {
              code: order.cancellationKind() ?? 'customer',
              detail: o.cancellationReason ?? 'cancelled',
            },
          },
          origin,
          now,
        );
      case 'OrderCompleted':
        return createEnvelope(
          'OrderCompleted',
          o.id,
          {
            orderId: o.id,
            customerId: o.customerId,
            amountCents: o.amountCents!,
            currency: o.currency!,
          },
          origin,
          now,
        );
    }
  });
}
