import crypto from 'node:crypto';
import { createEnvelope, decodeEnvelope, InvalidEventError } from './envelope';
import { currentVersionOf, EVENT_TYPES } from './events';

const orderId = crypto.randomUUID();
const origin = { correlationId: orderId, causationId: orderId };

/** A record as order-service wrote it before v2: what still sits on order-cancelled and in its DLQ. */
function v1Record(reason: string, extra: Record<string, unknown> = {}) {
  return {
    eventId: crypto.randomUUID(),
    eventType: 'OrderCancelled',
    eventVersion: 1,
    occurredAt: '2026-01-15T10:30:00.000Z',
    aggregateId: orderId,
    correlationId: orderId,
    causationId: orderId,
    payload: { orderId, customerId: 'cust-1', reason, ...extra },
  };
}
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('event versions', () => {
  it('writes OrderCancelled as v3, StockRestored as v2 and every other event as v1', () => {
    const cancelled = createEnvelope(
      'OrderCancelled',
      orderId,
      { orderId, customerId: 'cust-1', reason: { code: 'customer', detail: 'changed my mind' } },
      origin,
    );
    expect(cancelled.eventVersion).toBe(3);
    expect(
      Object.fromEntries(EVENT_TYPES.map((type) => [type, currentVersionOf(type)])),
    ).toMatchObject({ OrderCancelled: 3, StockRestored: 2, OrderCreated: 1, PaymentFailed: 1 });
  });

  it.each([
    ['insufficient stock', 'insufficient_stock'],
    ['payment failed: card declined', 'payment_failed'],
    ['changed my mind', 'customer'],
    ['cancelled by customer', 'customer'],
  ])('reads a v1 record with reason %j as v3 with code %s', (reason, code) => {
    const record = v1Record(reason);
    expect(decodeEnvelope(bytes(record))).toEqual({
      ...record,
      eventVersion: 3,
      payload: { orderId, customerId: 'cust-1', reason: { code, detail: reason } },
    });
  });

  it('reads a v3 record as it is, and a v2 record as v3', () => {
    const written = createEnvelope(
      'OrderCancelled',
      orderId,
      { orderId, customerId: 'c', reason: { code: 'deadline_passed', detail: 'no answer' } },
      origin,
    );
    expect(decodeEnvelope(bytes(written))).toEqual(written);
    const v2 = {
      ...written,
      eventVersion: 2,
      payload: { ...written.payload, reason: { code: 'customer', detail: 'x' } },
    };
    expect(decodeEnvelope(bytes(v2))).toEqual({ ...v2, eventVersion: 3 });
    const deadlineAsV2 = { ...written, eventVersion: 2 };
    expect(() => decodeEnvelope(bytes(deadlineAsV2))).toThrow(
      /^invalid OrderCancelled v2 payload: reason\.code: /,
    );
  });

  it('reads a StockRestored v1 record as v2, and writes a restore of nothing as v2', () => {
    const nothing = createEnvelope('StockRestored', orderId, { orderId, items: [] }, origin);
    expect(nothing.eventVersion).toBe(2);
    const v1 = {
      ...nothing,
      eventVersion: 1,
      payload: { orderId, items: [{ productId: 'P', quantity: 1 }] },
    };
    expect(decodeEnvelope(bytes(v1))).toEqual({ ...v1, eventVersion: 2 });
    expect(() => decodeEnvelope(bytes({ ...nothing, eventVersion: 1 }))).toThrow(
      /^invalid StockRestored v1 payload: items: /,
    );
  });

  it('refuses a version it does not know, so the record waits in the DLQ for an upgraded consumer', () => {
    expect(() => decodeEnvelope(bytes({ ...v1Record('x'), eventVersion: 4 }))).toThrow(
      new InvalidEventError('unknown OrderCancelled version 4: this reader knows versions 1..3'),
    );
  });

  it('refuses a v1 payload labelled v2, and a v2 payload labelled v1', () => {
    expect(() => decodeEnvelope(bytes({ ...v1Record('x'), eventVersion: 2 }))).toThrow(
      /^invalid OrderCancelled v2 payload: reason: /,
    );
    const v2AsV1 = {
      ...v1Record('x'),
      payload: { orderId, customerId: 'c', reason: { code: 'customer', detail: 'x' } },
    };
    expect(() => decodeEnvelope(bytes(v2AsV1))).toThrow(
      /^invalid OrderCancelled v1 payload: reason: /,
    );
  });

  // The tolerant reader: what lets a writer add an optional field to a released version.
  it('drops a property it does not know when reading, and refuses it when writing', () => {
    const decoded = decodeEnvelope(bytes(v1Record('changed my mind', { refundTo: 'card' })));
    expect(decoded.payload).not.toHaveProperty('refundTo');
    expect(() =>
      createEnvelope(
        'OrderCancelled',
        orderId,
        // @ts-expect-error: a field the schema does not have
        { orderId, customerId: 'c', reason: { code: 'customer', detail: 'x' }, refundTo: 'card' },
        origin,
      ),
    ).toThrow(/^invalid OrderCancelled payload: \(root\): Unrecognized key: "refundTo"$/);
  });
});
