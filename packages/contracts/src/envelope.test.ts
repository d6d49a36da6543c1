import crypto from 'node:crypto';
import { createEnvelope, decodeEnvelope, InvalidEventError, causedBy } from './envelope';
import { EVENT_PAYLOADS, EVENT_TYPES } from './events';
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
    ).toThrow(/invalid OrderCreated v1 payload: customerId/);
    expect(() => decodeEnvelope(Buffer.from(JSON.stringify({ ...envelope, extra: true })))).toThrow(
      /invalid envelope/,
    );
  });

  it('takes a timestamp written with its UTC offset', () => {
    const envelope = { ...created(), occurredAt: '2026-01-15T12:30:00+02:00' };
    expect(decodeEnvelope(Buffer.from(JSON.stringify(envelope))).occurredAt).toBe(
      '2026-01-15T12:30:00+02:00',
    );
  });

  it('rejects bytes that are not UTF-8 even where they would decode to valid JSON', () => {
    // A lenient decoder would turn the 0xff into U+FFFD and accept a corrupted customer id.
    const [head, tail] = JSON.stringify(created()).split('cust-1');
    const bytes = Buffer.concat([Buffer.from(head!), Buffer.from([0xff]), Buffer.from(tail!)]);
    expect(() => decodeEnvelope(bytes)).toThrow(/^record value is not UTF-8 JSON: /);
  });

  // The message lands in the DLQ headers: it must say what was wrong without opening the record.
  it.each([
    ['an empty value', null, 'record has no value'],
    ['not JSON', Buffer.from('{nope'), /^record value is not UTF-8 JSON: .*JSON/],
    [
      'a JSON array',
      Buffer.from('[]'),
      /^invalid envelope: \(root\): Invalid input: expected object, received array$/,
    ],
  ])('says why it rejects %s', (_, bytes, message) => {
    expect(() => decodeEnvelope(bytes)).toThrow(message);
    expect(() => decodeEnvelope(bytes)).toThrow(
      expect.objectContaining({ name: 'InvalidEventError' }),
    );
  });

  it('names the first three problems of an envelope, with their paths', () => {
    const broken = {
      ...created(),
      eventId: 'x',
      eventVersion: 0,
      aggregateId: '',
      correlationId: '',
    };
    const error = catchError(() => decodeEnvelope(Buffer.from(JSON.stringify(broken))));
    expect(error.message).toMatch(
      /^invalid envelope: eventId: [^;]+; eventVersion: [^;]+; aggregateId: [^;]+$/,
    );
    const badLine = {
      ...created(),
      payload: { ...created().payload, lines: [{ productId: 'P', quantity: 0 }] },
    };
    expect(catchError(() => decodeEnvelope(Buffer.from(JSON.stringify(badLine)))).message).toMatch(
      /^invalid OrderCreated v1 payload: lines\.0\.quantity: /,
    );
  });

  it.each([
    ['EUR', true],
    ['usd', false],
    ['US', false],
    ['USDX', false],
    ['XUSD', false],
    ['12$', false],
  ])('takes %s as a currency: %s', (currency, valid) => {
    const payload = { orderId, customerId: 'cust-1', amountCents: 100, currency };
    expect(EVENT_PAYLOADS.OrderCompleted.safeParse(payload).success).toBe(valid);
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

function catchError(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
