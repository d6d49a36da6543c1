import type { DeadLetterRecord } from '../domain/dead-letter';
import { planRedrive, type RedrivePlan } from '../domain/redrive-plan';
import type { Redriver, ReplayLog, ReplayedRecord } from './ports';

export interface RedriveRequest {
  readonly operator: string;
  readonly scope: string;
  readonly records: readonly DeadLetterRecord[];
}

/**
 * Replaying dead letters: the plan first (what the dry run shows), then the same plan carried
 * out and recorded. Parked records and entries sent back before are never sent.
 */
export class Redrive {
  constructor(
    private readonly redriver: Redriver,
    private readonly log: ReplayLog,
    private readonly maxReplays: number,
  ) {}

  async plan(records: readonly DeadLetterRecord[]): Promise<RedrivePlan> {
    const replayed = await this.log.replayedAmong(records.map((r) => r.id));
    return planRedrive(records, this.maxReplays, replayed);
  }

  targetOf(record: DeadLetterRecord): string {
    return this.redriver.targetOf(record);
  }

  /** Returns the id of the recorded replay. */
  async execute(request: RedriveRequest): Promise<string> {
    const plan = await this.plan(request.records);
    const entry = (r: DeadLetterRecord, outcome: ReplayedRecord['outcome']): ReplayedRecord => ({
      id: r.id,
      service: r.service,
      originalTopic: r.originalTopic,
      orderId: r.key,
      target: this.redriver.targetOf(r),
      replayCount: r.replayCount,
      outcome,
    });
    const { replayId, claimed } = await this.log.begin(
      request.operator,
      request.scope,
      plan.toSend.map((r) => entry(r, 'sent')),
      [
        ...plan.parked.map((r) => entry(r, 'parked')),
        ...plan.alreadyReplayed.map((r) => entry(r, 'already replayed')),
      ],
    );
    const outcomes = await this.redriver.send(plan.toSend.filter((r) => claimed.has(r.id)));
    await this.log.finish(replayId, outcomes);
    return replayId;
  }
}
