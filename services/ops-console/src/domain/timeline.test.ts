import { lagPerGroupAndTopic } from './lag';
import { inTimeOrder, kindOfTopic, traceIdOf, type TimelineStep } from './timeline';

describe('timeline', () => {
  it('names the kind of a topic', () => {
    expect(kindOfTopic('order-created')).toBe('event');
    expect(kindOfTopic('inventory-service-retry-2')).toBe('retry');
    expect(kindOfTopic('order-created-dlq')).toBe('dead letter');
  });

  it('orders by time, then topic and offset (numerically)', () => {
    const step = (at: number, topic: string, offset: string): TimelineStep => ({
      at: new Date(at),
      topic,
      partition: 0,
      offset,
      kind: 'event',
    });
    const steps = [step(2, 'b', '1'), step(1, 'b', '10'), step(1, 'b', '9'), step(1, 'a', '50')];
    expect(inTimeOrder(steps).map((s) => `${s.at.getTime()} ${s.topic} ${s.offset}`)).toEqual([
      '1 a 50',
      '1 b 9',
      '1 b 10',
      '2 b 1',
    ]);
  });

  it('reads the trace id of a W3C traceparent, and nothing from a malformed or empty one', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceIdOf(`00-${id}-00f067aa0ba902b7-01`)).toBe(id);
    expect(traceIdOf(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdOf(`00-${id}-00f067aa0ba902b7`)).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
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
