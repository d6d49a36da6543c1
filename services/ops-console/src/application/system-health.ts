import { isParked } from '../domain/dead-letter';
import { lagPerGroupAndTopic, type TopicLag } from '../domain/lag';
import type { DeadLetterSource, LagSource, OutboxBacklog, OutboxBacklogSource } from './ports';

export interface DlqCount {
  readonly dlqTopic: string;
  readonly records: number;
  readonly parked: number;
}

export interface SystemHealth {
  readonly lag: readonly TopicLag[];
  readonly lagError?: string;
  readonly dlq: readonly DlqCount[];
  readonly dlqComplete: boolean;
  readonly outbox: readonly OutboxBacklog[];
}

/** Lag per group and topic from the brokers, dead letters per DLQ, each service's outbox backlog. */
export class SystemHealthReport {
  constructor(
    private readonly lag: LagSource,
    private readonly deadLetters: DeadLetterSource,
    private readonly outboxes: OutboxBacklogSource,
    private readonly maxReplays: number,
  ) {}

  async now(): Promise<SystemHealth> {
    const counts = new Map<string, { records: number; parked: number }>();
    for (const r of this.deadLetters.all()) {
      const c = counts.get(r.dlqTopic) ?? { records: 0, parked: 0 };
      c.records++;
      if (isParked(r, this.maxReplays)) c.parked++;
      counts.set(r.dlqTopic, c);
    }
    const dlq = [...counts]
      .map(([dlqTopic, c]) => ({ dlqTopic, ...c }))
      .sort((a, b) => a.dlqTopic.localeCompare(b.dlqTopic));
    const [lag, outbox] = await Promise.all([
      this.lag.lag().then(
        (rows) => ({ lag: lagPerGroupAndTopic(rows) }),
        (err: Error) => ({ lag: [], lagError: err.message }),
      ),
      this.outboxes.backlog(),
    ]);
    return { ...lag, dlq, dlqComplete: this.deadLetters.caughtUp(), outbox };
  }
}
