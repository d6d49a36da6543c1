import type { EventType } from './events';
import type { ServiceName } from './services';

export interface TopicSpec {
  readonly name: string;
  /** Each primary topic carries exactly one event type. */
  readonly eventType: EventType;
  readonly producer: ServiceName;
  readonly consumers: readonly ServiceName[];
}

/**
 * Primary topics: the guide's six plus four of our own (docs/guide-mapping.md §1) (payment-requested,
 * payment-failed, stock-restored, order-completed) and payment-refunded, which tells the customer
 * that money captured for an order that ended cancelled went back. payment-service also reads
 * order-cancelled: a cancel that races a payment must refund or void it.
 */
export const PRIMARY_TOPICS: readonly TopicSpec[] = [
  topic('order-created', 'OrderCreated', 'order-service', [
    'inventory-service',
    'notification-service',
  ]),
  topic('order-cancelled', 'OrderCancelled', 'order-service', [
    'inventory-service',
    'payment-service',
    'notification-service',
  ]),
  topic('order-completed', 'OrderCompleted', 'order-service', ['notification-service']),
  topic('payment-requested', 'PaymentRequested', 'order-service', ['payment-service']),
  topic('stock-reserved', 'StockReserved', 'inventory-service', ['order-service']),
  topic('insufficient-stock', 'InsufficientStock', 'inventory-service', ['order-service']),
  topic('stock-deducted', 'StockDeducted', 'inventory-service', ['order-service']),
  topic('stock-restored', 'StockRestored', 'inventory-service', ['order-service']),
  topic('payment-completed', 'PaymentCompleted', 'payment-service', [
    'order-service',
    'inventory-service',
  ]),
  topic('payment-failed', 'PaymentFailed', 'payment-service', [
    'order-service',
    'notification-service',
  ]),
  topic('payment-refunded', 'PaymentRefunded', 'payment-service', ['notification-service']),
];

/** How many retry hops a consumer gets before a record goes to the DLQ. */
export const RETRY_TIERS = 3;

/** The guide's DLQ naming: `<original-topic>-dlq`. */
export function dlqTopicOf(topicName: string): string {
  return `${topicName}-dlq`;
}

/**
 * Where a dead letter goes instead of the DLQ once operators have replayed it as often as allowed
 * and it failed again: `<original-topic>-parking`. Parked records wait for a person, not a replay.
 */
export function parkingTopicOf(topicName: string): string {
  return `${topicName}-parking`;
}

/**
 * Retry topics belong to one consuming service, so a retried record never
 * reaches another service's consumer group. Tier n waits the n-th backoff delay.
 */
export function retryTopicOf(service: ServiceName, tier: number): string {
  if (!Number.isInteger(tier) || tier < 1 || tier > RETRY_TIERS) {
    throw new RangeError(`retry tier must be 1..${RETRY_TIERS}, got ${tier}`);
  }
  return `${service}-retry-${tier}`;
}

export function consumedTopicsOf(service: ServiceName): string[] {
  return PRIMARY_TOPICS.filter((t) => t.consumers.includes(service)).map((t) => t.name);
}

export function producedTopicsOf(service: ServiceName): string[] {
  return PRIMARY_TOPICS.filter((t) => t.producer === service).map((t) => t.name);
}

export type TopicRole = 'primary' | 'retry' | 'dlq' | 'parking';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Kafka's `retention.ms` for "never delete by age". */
export const KEEP_FOREVER = -1;

/**
 * How long each kind of topic keeps records, chosen so that nothing is deleted before someone was
 * told. A retry record is a primary record still in flight, so it is kept as long as the primary
 * (7 days): a consumer that is down stops its retries as well, and ServiceDown and consumer-lag
 * alerts fire within minutes, days before anything expires. A dead letter waits for a human to
 * review and replay it, which no clock can bound: DLQs keep records until they are deleted on
 * purpose, and their size is watched by the broker disk alert instead.
 */
export const TOPIC_RETENTION_MS: Readonly<Record<TopicRole, number>> = {
  primary: 7 * DAY_MS,
  retry: 7 * DAY_MS,
  dlq: KEEP_FOREVER,
  parking: KEEP_FOREVER,
};

let roles: ReadonlyMap<string, TopicRole> | undefined;

/** What a topic of the catalog is for; undefined for a topic the system does not know. */
export function topicRoleOf(topicName: string): TopicRole | undefined {
  roles ??= new Map(allTopics().map((t) => [t.name, t.role]));
  return roles.get(topicName);
}

export interface TopicToCreate {
  readonly name: string;
  readonly role: TopicRole;
}

/**
 * Every topic the system needs, in a stable order: primaries, their DLQs, their parking topics,
 * then retry tiers.
 */
export function allTopics(): TopicToCreate[] {
  const consumers = [...new Set(PRIMARY_TOPICS.flatMap((t) => t.consumers))].sort();
  return [
    ...PRIMARY_TOPICS.map((t) => ({ name: t.name, role: 'primary' as const })),
    ...PRIMARY_TOPICS.map((t) => ({ name: dlqTopicOf(t.name), role: 'dlq' as const })),
    ...PRIMARY_TOPICS.map((t) => ({ name: parkingTopicOf(t.name), role: 'parking' as const })),
    ...consumers.flatMap((service) =>
      Array.from({ length: RETRY_TIERS }, (_, i) => ({
        name: retryTopicOf(service, i + 1),
        role: 'retry' as const,
      })),
    ),
  ];
}

export function topicOfEvent(eventType: EventType): string {
  const spec = PRIMARY_TOPICS.find((t) => t.eventType === eventType);
  if (!spec) throw new Error(`no topic carries ${eventType}`);
  return spec.name;
}

function topic(
  name: string,
  eventType: EventType,
  producer: ServiceName,
  consumers: ServiceName[],
): TopicSpec {
  return { name, eventType, producer, consumers };
}
