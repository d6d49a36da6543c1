import { lagPerGroupAndTopic } from './lag';
import { stateSteps } from './state-history';
import { inTimeOrder, kindOfTopic, traceIdOf, withTraceIds, type TimelineStep } from './timeline';

describe('timeline', () => {
  it('names the kind of a topic', () => {
    expect(kindOfTopic('order-created')).toBe('event');
    expect(kindOfTopic('inventory-service-retry-2')).toBe('retry');
    expect(kindOfTopic('order-created-dlq')).toBe('dead letter');
    expect(kindOfTopic('order-created-parking')).toBe('dead letter');
  });

  it('orders by time, then topic and offset (numerically)', () => {
    const step = (at: number, where: string): TimelineStep => ({
      at: new Date(at),
      kind: 'event',
      where,
    });
    const steps = [step(2, 'b/0/1'), step(1, 'b/0/10'), step(1, 'b/0/9'), step(1, 'a/0/50')];
    expect(inTimeOrder(steps).map((s) => `${s.at.getTime()} ${s.where}`)).toEqual([
      '1 a/0/50',
      '1 b/0/9',
      '1 b/0/10',
      '2 b/0/1',
    ]);
  });

  it("puts one transaction's rows of the same instant in causal order", () => {
    const at = new Date(5);
    const kinds = ['notification', 'event', 'outbox', 'state', 'processed'] as const;
    const steps = kinds.map((kind): TimelineStep => ({ at, kind, where: 'x' }));
    expect(inTimeOrder(steps).map((s) => s.kind)).toEqual([
      'processed',
      'state',
      'outbox',
      'event',
      'notification',
    ]);
  });

  it('gives a step without a trace the trace of the record carrying its event', () => {
    const at = new Date(1);
    const traced = withTraceIds([
      { at, kind: 'processed', where: 'inventory-service-group', eventId: 'e1' },
      { at, kind: 'event', where: 'order-created/0/1', eventId: 'e1', traceId: 't1' },
      { at, kind: 'notification', where: 'notification-service', eventId: 'e2' },
      { at, kind: 'outbox', where: 'order-service outbox #1', eventId: 'e1', traceId: 't0' },
    ]);
    expect(traced.map((s) => s.traceId)).toEqual(['t1', 't1', undefined, 't0']);
  });

  it('reads the trace id of a W3C traceparent, and nothing from a malformed or empty one', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceIdOf(`00-${id}-00f067aa0ba902b7-01`)).toBe(id);
    expect(traceIdOf(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdOf(`00-${id}-00f067aa0ba902b7`)).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});

describe("the order's state history as steps", () => {
  it('makes each change a step with its cause, and leaves out a change without a time', () => {
    const steps = stateSteps([
      {
        from: null,
        to: 'PENDING',
        at: '2025-01-01T00:00:00.000Z',
        cause: 'PlaceOrder',
        causeId: 'r1',
      },
      {
        from: 'PENDING',
        to: 'CONFIRMED',
        at: '2025-01-01T00:00:01.000Z',
        cause: 'StockReserved',
        causeId: 'e2',
      },
      { from: 'CONFIRMED', to: 'COMPLETED' },
    ]);
    expect(steps).toEqual([
      {
        at: new Date('2025-01-01T00:00:00.000Z'),
        kind: 'state',
        where: 'order-service',
        eventType: 'PlaceOrder',
        eventId: 'r1',
        note: 'new → PENDING',
      },
      {
        at: new Date('2025-01-01T00:00:01.000Z'),
        kind: 'state',
        where: 'order-service',
        eventType: 'StockReserved',
        eventId: 'e2',
        note: 'PENDING → CONFIRMED',
      },
    ]);
  });
});

describe('lag per group and topic', () => {
  it('sums the partitions', () => {
    expect(
      lagPerGroupAndTopic([
        { groupId: 'g', topic: 't', partition: 0, lag: 2n },
        { groupId: 'g', topic: 't', partition: 1, lag: 3n },
        { groupId: 'a', topic: 't', partition: 0, lag: 0n },
      ]),
    ).toEqual([
      { groupId: 'a', topic: 't', partitions: 1, lag: 0n },
      { groupId: 'g', topic: 't', partitions: 2, lag: 5n },
    ]);
  });
});
