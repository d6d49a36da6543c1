import { isParked, type DeadLetterRecord } from './dead-letter';

/** What a replay request comes to, before anything is sent: the dry run shows exactly this. */
export interface RedrivePlan {
  readonly toSend: readonly DeadLetterRecord[];
  /** Replayed as often as allowed already. */
  readonly parked: readonly DeadLetterRecord[];
  /** This very DLQ entry was sent back before; a new failure is a new entry. */
  readonly alreadyReplayed: readonly DeadLetterRecord[];
}

export function planRedrive(
  records: readonly DeadLetterRecord[],
  maxReplays: number,
  replayedIds: ReadonlySet<string>,
): RedrivePlan {
  const plan = { toSend: [], parked: [], alreadyReplayed: [] } as {
    toSend: DeadLetterRecord[];
    parked: DeadLetterRecord[];
    alreadyReplayed: DeadLetterRecord[];
  };
  for (const record of records) {
    if (replayedIds.has(record.id)) plan.alreadyReplayed.push(record);
    else if (isParked(record, maxReplays)) plan.parked.push(record);
    else plan.toSend.push(record);
  }
  return plan;
}
