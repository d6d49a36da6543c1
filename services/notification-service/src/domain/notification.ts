import type { Envelope, EventType } from '@shop/contracts';

export const TEMPLATES = [
  'order-received',
  'order-completed',
  'order-cancelled',
  'payment-failed',
  'payment-refunded',
] as const;
export type Template = (typeof TEMPLATES)[number];
export type Channel = 'email';

export interface Notification {
  readonly id: string;
  /** The event it tells about: one notification per event, however often the event arrives. */
  readonly eventId: string;
  readonly orderId: string;
  readonly customerId: string;
  /**
   * What the customer is told. Each template is a fact about one order that happens once (the
   * order was received, completed, cancelled; its payment failed or was refunded), so an order
   * gets at most one notification per template, even when a fact is announced twice.
   */
  readonly template: Template;
  readonly channel: Channel;
  readonly message: string;
  readonly createdAt: string;
}

type CustomerEvent =
  'OrderCreated' | 'OrderCompleted' | 'OrderCancelled' | 'PaymentFailed' | 'PaymentRefunded';

export const NOTIFIED_EVENTS: readonly CustomerEvent[] = [
  'OrderCreated',
  'OrderCompleted',
  'OrderCancelled',
  'PaymentFailed',
  'PaymentRefunded',
];

/** Chooses the template and writes the message the customer reads. */
export function compose(event: Envelope<CustomerEvent>, id: string, at: Date): Notification {
  const base = {
    id,
    eventId: event.eventId,
    orderId: event.aggregateId,
    channel: 'email' as const,
    createdAt: at.toISOString(),
  };
  const short = event.aggregateId.slice(0, 8);
  switch (event.eventType as EventType) {
    case 'OrderCreated': {
      const p = (event as Envelope<'OrderCreated'>).payload;
      const items = p.lines.reduce((n, l) => n + l.quantity, 0);
      return {
        ...base,
        customerId: p.customerId,
        template: 'order-received',
        message: `We received your order ${short} for ${items} item(s).`,
      };
    }
    case 'OrderCompleted': {
      const p = (event as Envelope<'OrderCompleted'>).payload;
      return {
        ...base,
        customerId: p.customerId,
        template: 'order-completed',
        message: `Your order ${short} is complete: ${money(p.amountCents, p.currency)} paid.`,
      };
    }
    case 'OrderCancelled': {
      const p = (event as Envelope<'OrderCancelled'>).payload;
      return {
        ...base,
        customerId: p.customerId,
        template: 'order-cancelled',
        message: `Your order ${short} was cancelled (${p.reason.detail}).`,
      };
    }
    case 'PaymentFailed': {
      const p = (event as Envelope<'PaymentFailed'>).payload;
      return {
        ...base,
        customerId: p.customerId,
        template: 'payment-failed',
        message: `The payment of ${money(p.amountCents, p.currency)} for order ${short} failed: ${p.reason}.`,
      };
    }
    default: {
      const p = (event as Envelope<'PaymentRefunded'>).payload;
      return {
        ...base,
        customerId: p.customerId,
        template: 'payment-refunded',
        message: `We refunded ${money(p.amountCents, p.currency)} for order ${short}.`,
      };
    }
  }
}

function money(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}
