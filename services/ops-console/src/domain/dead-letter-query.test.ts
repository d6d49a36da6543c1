import type { DeadLetterRecord } from './dead-letter';
import { matchesQuery, newestFirst } from './dead-letter-query';
import { planRedrive } from './redrive-plan';

export function letter(overrides: Partial<DeadLetterRecord> = {}): DeadLetterRecord {
  const offset = overrides.offset ?? '7';
  return {
    id: `order-created-dlq/0/${offset}`,
    dlqTopic: 'order-created-dlq',
    partition: 0,
    offset,
    service: 'inventory-service',
    originalTopic: 'order-created',
    originalPartition: '1',
    originalOffset: '42',
    errorClass: 'InvalidEventError',
    errorMessage: 'invalid envelope: eventId: Invalid UUID',
    errorTimestamp: '2026-03-01T10:00:00.000Z',
    replayCount: 0,
    key: '6ed05109-0000-4000-8000-000000000001',
    value: Buffer.from('{}'),
    headers: [],
    ...overrides,
  };
}

describe('dead letter query', () => {
  it('holds when every given part holds', () => {
    const r = letter();
    expect(matchesQuery(r, {})).toBe(true);
    expect(matchesQuery(r, { service: 'inventory-service', originalTopic: 'order-created' })).toBe(
      true,
    );
    expect(matchesQuery(r, { service: 'payment-service' })).toBe(false);
    expect(matchesQuery(r, { originalTopic: 'order-cancelled' })).toBe(false);
    expect(matchesQuery(r, { errorClass: 'RangeError' })).toBe(false);
  });

  it('searches the error message and the order id, every word, in any case', () => {
    const r = letter();
    expect(matchesQuery(r, { text: 'ENVELOPE uuid' })).toBe(true);
    expect(matchesQuery(r, { text: '6ed05109' })).toBe(true);
    expect(matchesQuery(r, { text: 'envelope price' })).toBe(false);
  });

  it('bounds the failure time from inclusive to exclusive, and leaves out a record without one', () => {
    const r = letter();
    const at = new Date('2026-03-01T10:00:00.000Z');
    expect(matchesQuery(r, { from: at })).toBe(true);
    expect(matchesQuery(r, { to: at })).toBe(false);
    expect(matchesQuery(r, { to: new Date(at.getTime() + 1) })).toBe(true);
    expect(matchesQuery(letter({ errorTimestamp: '' }), { from: new Date(0) })).toBe(false);
  });

  it('lists the newest failure first', () => {
    const old = letter({ offset: '1', errorTimestamp: '2026-01-01T00:00:00Z' });
    const recent = letter({ offset: '2', errorTimestamp: '2026-02-01T00:00:00Z' });
    const undated = letter({ offset: '3', errorTimestamp: '' });
    expect([old, undated, recent].sort(newestFirst).map((r) => r.offset)).toEqual(['2', '1', '3']);
  });
});

describe('redrive plan', () => {
  it('sends what is neither parked nor sent back before', () => {
    const fresh = letter({ offset: '1' });
    const replayedOnce = letter({ offset: '2', replayCount: 1 });
    const parked = letter({ offset: '3', replayCount: 3 });
    const sentBefore = letter({ offset: '4' });
    const plan = planRedrive(
      [fresh, replayedOnce, parked, sentBefore],
      3,
      new Set([sentBefore.id]),
    );
    expect(plan.toSend).toEqual([fresh, replayedOnce]);
    expect(plan.parked).toEqual([parked]);
    expect(plan.alreadyReplayed).toEqual([sentBefore]);
  });

  it('never sends back a record the consumer parked, whatever its count', () => {
    const onParking = letter({
      id: 'order-created-parking/0/1',
      dlqTopic: 'order-created-parking',
      offset: '1',
      replayCount: 1,
    });
    expect(planRedrive([onParking], 3, new Set()).parked).toEqual([onParking]);
  });
});
