import type { Kafka } from 'kafkajs';

export interface PartitionLag {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset, or undefined when it has committed none. */
  readonly committed: bigint | undefined;
  readonly logEnd: bigint;
  readonly lag: bigint;
}

/** Consumer lag per group, topic and partition, as `kafka-consumer-groups --describe` shows it. */
export async function consumerLag(
  kafka: Kafka,
  groupIds?: readonly string[],
): Promise<PartitionLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groups = groupIds ?? (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    const rows: PartitionLag[] = [];
    const logEnds = new Map<string, Array<{ partition: number; high: string; low: string }>>();
    for (const groupId of groups) {
      // Without topics the broker answers only for partitions the group has committed on; asked
      // again with those topics, it answers for every partition, a partition never committed on
      // included (offset -1), which lags from the log's start.
      const topics = (await admin.fetchOffsets({ groupId })).map((t) => t.topic);
      if (topics.length === 0) continue;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
        if (!logEnds.has(topic)) logEnds.set(topic, await admin.fetchTopicOffsets(topic));
        for (const p of partitions) {
          const end = logEnds.get(topic)!.find((o) => o.partition === p.partition);
          if (!end) continue;
          const committed = BigInt(p.offset) >= 0n ? BigInt(p.offset) : undefined;
          const logEnd = BigInt(end.high);
          const from = committed ?? BigInt(end.low);
          rows.push({
            groupId,
            topic,
            partition: p.partition,
            committed,
            logEnd,
            lag: logEnd > from ? logEnd - from : 0n,
          });
        }
      }
    }
    return rows.sort(
      (a, b) =>
        a.groupId.localeCompare(b.groupId) ||
        a.topic.localeCompare(b.topic) ||
        a.partition - b.partition,
    );
  } finally {
    await admin.disconnect();
  }
}

export function formatLag(rows: readonly PartitionLag[]): string {
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG'];
  const lines = rows.map((r) => [
    r.groupId,
    r.topic,
    String(r.partition),
    r.committed?.toString() ?? '-',
    r.logEnd.toString(),
    r.lag.toString(),
  ]);
  const totals = new Map<string, bigint>();
  for (const r of rows)
    totals.set(`${r.groupId} ${r.topic}`, (totals.get(`${r.groupId} ${r.topic}`) ?? 0n) + r.lag);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const total = rows.reduce((sum, r) => sum + r.lag, 0n);
  return [
    fmt(header),
    ...lines.map(fmt),
    '',
    ...[...totals].map(([k, lag]) => `total lag ${k}: ${lag}`),
    `total lag: ${total}`,
  ].join('\n');
}
