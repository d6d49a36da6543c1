import type { TimelineStep } from './timeline';

export interface StatusChange {
  readonly from?: string | null;
  readonly to: string;
  readonly cause?: string;
  readonly causeId?: string;
  readonly at?: string;
}

/**
 * order-service's history of the order as steps: each change at the time it was made, with the
 * event (or request) that caused it, whose trace it joins.
 */
export function stateSteps(history: readonly StatusChange[]): TimelineStep[] {
  return history.flatMap((change) => {
    const at = Date.parse(change.at ?? '');
    if (Number.isNaN(at)) return [];
    return [
      {
        at: new Date(at),
        kind: 'state' as const,
        where: 'order-service',
        eventType: change.cause,
        eventId: change.causeId,
        note: `${change.from ?? 'new'} → ${change.to}`,
      },
    ];
  });
}
