import type { Envelope } from '@shop/contracts';
import type { Logger } from '@shop/observability';
import type { ValidRecord } from './decoded-record';

/** The guide's "message processed" line, with its orderId and itemCount. */
export function logProcessed(log: Logger, { event, origin, message }: ValidRecord): void {
  log.info(
    {
      orderId: event.aggregateId,
      itemCount: itemCountOf(event),
      eventType: event.eventType,
      eventId: event.eventId,
      topic: origin.topic,
      partition: origin.partition,
      offset: message.offset,
    },
    'message processed',
  );
}

/** How many lines or items the event carries. */
function itemCountOf(event: Envelope): number | undefined {
  const payload = event.payload as Record<string, unknown>;
  for (const field of ['lines', 'reservedItems', 'items', 'shortLines']) {
    const value = payload[field];
    if (Array.isArray(value)) return value.length;
  }
  return undefined;
}
