import crypto from 'node:crypto';
import { createEnvelope, decodeEnvelope, InvalidEventError, causedBy } from './envelope';
import { EVENT_TYPES } from './events';
import { PRIMARY_TOPICS, topicOfEvent } from './topics';

const orderId = crypto.randomUUID();
const origin = { correlationId: 'req-1', causationId: 'req-1' };
const created = () =>
  createEnvelope(
    'OrderCreated',
    orderId,
    {
      orderId,
      customerId: 'cust-1',
      lines: [{ productId: 'PROD-001', quantity: 2 }],
      paymentMethod: { type: 'card', reference: 'tok_visa' },
    },
    origin,
    new Date('2026-01-15T10:30:00Z'),
  );

describe('event envelope', () => {
  it('round-trips through record bytes', () => {
    const envelope = created();
    expect(decodeEnvelope(Buffer.from(JSON.stringify(envelope)))).toEqual(envelope);
    expect(envelope.occurredAt).toBe('2026-01-15T10:30:00.000Z');
    expect(envelope.eventVersion).toBe(1);
  });

  it('refuses to build an event whose payload breaks its schema', () => {
    expect(() =>
      createEnvelope(
        'OrderCreated',
        orderId,
        // @ts-expect-error: a zero quantity is what the schema must catch at run time too
        { orderId, customerId: 'c', lines: [{ productId: 'P', quantity: 0 }] },
        origin,
      ),
    ).toThrow(InvalidEventError);
  });

  it.each([
    ['not JSON', Buffer.from('{nope')],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0x7b])],
    ['an empty value', null],
    ['a JSON array', Buffer.from('[]')],
  ])('rejects %s as an InvalidEventError', (_, bytes) => {
    expect(() => decodeEnvelope(bytes)).toThrow(InvalidEventError);
  });

  it('rejects an unknown event type and a payload of the wrong shape', () => {
    const envelope = created();
    expect(() =>
      decodeEnvelope(Buffer.from(JSON.stringify({ ...envelope, eventType: 'OrderShipped' }))),
    ).toThrow('unknown event type: OrderShipped');
    expect(() =>
      decodeEnvelope(Buffer.from(JSON.stringify({ ...envelope, payload: { orderId } }))),
    ).toThrow(/invalid OrderCreated payload: customerId/);
    expect(() => decodeEnvelope(Buffer.from(JSON.stringify({ ...envelope, extra: true })))).toThrow(
      /invalid envelope/,
    );
  });

  it('chains correlation and causation', () => {
    const envelope = created();
    expect(causedBy(envelope)).toEqual({ correlationId: 'req-1', causationId: envelope.eventId });
  });

  it('maps every event type to exactly one primary topic', () => {
    for (const type of EVENT_TYPES) {
      expect(PRIMARY_TOPICS.filter((t) => t.eventType === type)).toHaveLength(1);
    }
    expect(topicOfEvent('StockReserved')).toBe('stock-reserved');
  });
});
