import {
  KEEP_FOREVER,
  PRIMARY_TOPICS,
  TOPIC_RETENTION_MS,
  allTopics,
  consumedTopicsOf,
  dlqTopicOf,
  parkingTopicOf,
  producedTopicsOf,
  retryTopicOf,
  topicOfEvent,
  topicRoleOf,
} from './topics';
import type { EventType } from './events';

describe('topic catalog', () => {
  it('holds the guide six topics and the design additions', () => {
    const names = PRIMARY_TOPICS.map((t) => t.name);
    for (const guideTopic of [
      'order-created',
      'order-cancelled',
      'payment-completed',
      'stock-reserved',
      'stock-deducted',
      'insufficient-stock',
    ]) {
      expect(names).toContain(guideTopic);
    }
    expect(names).toEqual(
      expect.arrayContaining([
        'payment-requested',
        'payment-failed',
        'stock-restored',
        'order-completed',
      ]),
    );
  });

  it('names DLQs as <topic>-dlq', () => {
    expect(dlqTopicOf('order-created')).toBe('order-created-dlq');
  });

  it('names parking topics as <topic>-parking', () => {
    expect(parkingTopicOf('order-created')).toBe('order-created-parking');
  });

  it("tells a catalog topic's role, and nothing for a topic it does not know", () => {
    expect(topicRoleOf('order-created')).toBe('primary');
    expect(topicRoleOf('order-created-dlq')).toBe('dlq');
    expect(topicRoleOf('order-created-parking')).toBe('parking');
    expect(topicRoleOf('payment-service-retry-2')).toBe('retry');
    expect(topicRoleOf('somewhere-else-dlq')).toBeUndefined();
  });

  it('gives each consuming service its own retry topics', () => {
    expect(retryTopicOf('inventory-service', 1)).toBe('inventory-service-retry-1');
    expect(() => retryTopicOf('inventory-service', 0)).toThrow(RangeError);
    expect(() => retryTopicOf('inventory-service', 4)).toThrow(RangeError);
    expect(() => retryTopicOf('inventory-service', 1.5)).toThrow(
      'retry tier must be 1..3, got 1.5',
    );
  });

  it('matches the design table of who consumes and produces what', () => {
    expect(consumedTopicsOf('inventory-service').sort()).toEqual([
      'order-cancelled',
      'order-created',
      'payment-completed',
    ]);
    expect(producedTopicsOf('payment-service').sort()).toEqual([
      'payment-completed',
      'payment-failed',
      'payment-refunded',
    ]);
    expect(consumedTopicsOf('notification-service').sort()).toEqual([
      'order-cancelled',
      'order-completed',
      'order-created',
      'payment-failed',
      'payment-refunded',
    ]);
    expect(consumedTopicsOf('order-service').sort()).toEqual([
      'insufficient-stock',
      'payment-completed',
      'payment-failed',
      'stock-deducted',
      'stock-reserved',
      'stock-restored',
    ]);
    expect(consumedTopicsOf('payment-service').sort()).toEqual([
      'order-cancelled',
      'payment-requested',
    ]);
  });

  it('lists every topic once, with retry topics only for consuming services', () => {
    const names = allTopics().map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.endsWith('-dlq'))).toHaveLength(PRIMARY_TOPICS.length);
    expect(names.filter((n) => n.endsWith('-parking'))).toEqual(
      PRIMARY_TOPICS.map((t) => parkingTopicOf(t.name)),
    );
    expect(names.filter((n) => n.includes('-retry-'))).toHaveLength(4 * 3);
  });

  it('lists retry topics by service name, then tier', () => {
    expect(
      allTopics()
        .filter((t) => t.role === 'retry')
        .map((t) => t.name),
    ).toEqual(
      ['inventory-service', 'notification-service', 'order-service', 'payment-service'].flatMap(
        (s) => [1, 2, 3].map((tier) => `${s}-retry-${tier}`),
      ),
    );
  });

  it('says which event type has no topic', () => {
    expect(() => topicOfEvent('OrderShipped' as EventType)).toThrow(
      'no topic carries OrderShipped',
    );
  });

  it('keeps retries as long as the records they retry, and dead letters until someone deletes them', () => {
    const days = (n: number) => n * 24 * 60 * 60 * 1000;
    expect(TOPIC_RETENTION_MS.primary).toBe(days(7));
    // A retry topic expiring before its primary would drop records that failed once, silently.
    expect(TOPIC_RETENTION_MS.retry).toBeGreaterThanOrEqual(TOPIC_RETENTION_MS.primary);
    expect(TOPIC_RETENTION_MS.dlq).toBe(KEEP_FOREVER);
    expect(TOPIC_RETENTION_MS.parking).toBe(KEEP_FOREVER);
    // Kafka reads retention.ms -1 as no time limit; any other value would delete dead letters.
    expect(KEEP_FOREVER).toBe(-1);
  });
});
