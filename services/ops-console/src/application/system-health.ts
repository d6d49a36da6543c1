import { isParked } from '../domain/dead-letter';
import { lagPerGroupAndTopic, type TopicLag } from '../domain/lag';
import type { DeadLetterSource, LagSource } from './ports';

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
}

/** Lag per group and topic from the brokers, and dead letters per DLQ. */
export class SystemHealthReport {
  constructor(
    private readonly lag: LagSource,
    private readonly deadLetters: DeadLetterSource,
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
    try {
      return {
        lag: lagPerGroupAndTopic(await this.lag.lag()),
        dlq,
        dlqComplete: this.deadLetters.caughtUp(),
      };
    } catch (err) {
      return {
        lag: [],
        lagError: (err as Error).message,
        dlq,
        dlqComplete: this.deadLetters.caughtUp(),
      };
    }
  }
}
