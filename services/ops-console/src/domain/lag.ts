/** A consumer group's lag on one partition, as the broker reports it. */
export interface PartitionLagRow {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly lag: bigint;
}

export interface TopicLag {
  readonly groupId: string;
  readonly topic: string;
  readonly partitions: number;
  readonly lag: bigint;
}

/** Partitions summed per group and topic: where a backlog is, without a row per partition. */
export function lagPerGroupAndTopic(rows: readonly PartitionLagRow[]): TopicLag[] {
  const totals = new Map<
    string,
    { groupId: string; topic: string; partitions: number; lag: bigint }
  >();
  for (const r of rows) {
    const key = `${r.groupId}\u0000${r.topic}`;
    const total = totals.get(key) ?? { groupId: r.groupId, topic: r.topic, partitions: 0, lag: 0n };
    total.partitions++;
    total.lag += r.lag;
    totals.set(key, total);
  }
  return [...totals.values()].sort(
    (a, b) => a.groupId.localeCompare(b.groupId) || a.topic.localeCompare(b.topic),
  );
}
