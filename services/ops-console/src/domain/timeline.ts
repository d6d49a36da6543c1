import { topicRoleOf } from '@shop/contracts';
/**
 * What a step on an order's timeline is: a record on a topic (an event, a retry, a dead letter),
 * a row of a service's outbox or processed events, a change of the order's state, or a
 * notification to the customer.
 */
export type StepKind =
  'processed' | 'state' | 'outbox' | 'event' | 'retry' | 'dead letter' | 'notification';

/**
 * Within one millisecond, the order in which one saga step happens: the consumer marks the event
 * processed, changes state, writes its outbox row in the same transaction, the relay publishes,
 * and notification-service tells the customer last. The database rows of one transaction share
 * its start time, so without this the step would read backwards.
 */
const CAUSAL_RANK: Readonly<Record<StepKind, number>> = {
  processed: 0,
  state: 1,
  outbox: 2,
  event: 3,
  retry: 3,
  'dead letter': 3,
  notification: 4,
};

/** One thing that happened to the order, anywhere in the system. */
export interface TimelineStep {
  readonly at: Date;
  readonly kind: StepKind;
  /** Where it was found: `topic/partition/offset`, `<service> outbox`, a consumer group, ... */
  readonly where: string;
  /** The event-type header or the envelope's type; the cause of a state change; a template. */
  readonly eventType?: string;
  /** The event this step is about, which carries the trace to the steps that have none. */
  readonly eventId?: string;
  readonly traceId?: string;
  /** The failing service and error, a row's published state, a state change, ... */
  readonly note?: string;
  /** Given up, and nothing will try again by itself: a notification the customer never got. */
  readonly failed?: boolean;
}

export function kindOfTopic(topic: string): 'event' | 'retry' | 'dead letter' {
  const role = topicRoleOf(topic);
  if (role === 'dlq' || role === 'parking') return 'dead letter';
  if (role === 'retry') return 'retry';
  return 'event';
}

/**
 * In time order; steps of the same millisecond in causal order, then by where they were found
 * (numerically, so offset 9 comes before offset 10).
 */
export function inTimeOrder(steps: readonly TimelineStep[]): TimelineStep[] {
  return [...steps].sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      CAUSAL_RANK[a.kind] - CAUSAL_RANK[b.kind] ||
      a.where.localeCompare(b.where, 'en', { numeric: true }),
  );
}

/**
 * A step without a trace id of its own (a processed-events row, a notification, a state change)
 * takes the trace of its event: the record or outbox row carrying the same event id.
 */
export function withTraceIds(steps: readonly TimelineStep[]): TimelineStep[] {
  const traceOfEvent = new Map<string, string>();
  for (const s of steps)
    if (s.eventId && s.traceId && !traceOfEvent.has(s.eventId))
      traceOfEvent.set(s.eventId, s.traceId);
  return steps.map((s) =>
    s.traceId || !s.eventId || !traceOfEvent.has(s.eventId)
      ? s
      : { ...s, traceId: traceOfEvent.get(s.eventId) },
  );
}

/** The trace id of a W3C `traceparent` (version-traceid-spanid-flags); undefined if malformed. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '');
  return match && !/^0+$/.test(match[1]!) ? match[1] : undefined;
}
