/** Where a record on an order's timeline was found. */
export type StepKind = 'event' | 'retry' | 'dead letter';

/** One record that carries the order, on any topic. */
export interface TimelineStep {
  readonly at: Date;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly kind: StepKind;
  /** The event-type header, or the envelope's type; undefined for a record that is neither. */
  readonly eventType?: string;
  readonly traceId?: string;
  /** The failing service and error, for a retry or a dead letter. */
  readonly note?: string;
}

export function kindOfTopic(topic: string): StepKind {
  if (topic.endsWith('-dlq')) return 'dead letter';
  if (/-retry-\d+$/.test(topic)) return 'retry';
  return 'event';
}

/** In time order; records written in the same millisecond keep their topic and offset order. */
export function inTimeOrder(steps: readonly TimelineStep[]): TimelineStep[] {
  return [...steps].sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      a.topic.localeCompare(b.topic) ||
      Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}

/** The trace id of a W3C `traceparent` (version-traceid-spanid-flags); undefined if malformed. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '');
  return match && !/^0+$/.test(match[1]!) ? match[1] : undefined;
}
