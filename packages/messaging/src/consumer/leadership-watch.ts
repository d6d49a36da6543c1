import type { Admin } from 'kafkajs';

/** Where each partition of some topics is led, as `topic/partition -> broker id`. */
export type Leaders = ReadonlyMap<string, number>;

export function leadersOf(
  topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{ partitionId: number; leader: number }>;
  }>,
): Leaders {
  const leaders = new Map<string, number>();
  for (const { name, partitions } of topics)
    for (const { partitionId, leader } of partitions) leaders.set(`${name}/${partitionId}`, leader);
  return leaders;
}

/** The partitions whose leader is not the one it was. */
export function movedLeaders(before: Leaders, now: Leaders): string[] {
  return [...now]
    .filter(([p, leader]) => before.has(p) && before.get(p) !== leader)
    .map(([p]) => p);
}

/**
 * Notices when a partition the consumer reads gets a new leader. kafkajs keeps a fetcher per
 * broker it started with: when a broker dies, it goes on trying it, and its partitions wait, until
 * the group rejoins (seen in the chaos run: 20 s of a trickle after a broker was SIGKILLed, while
 * its partitions had had new leaders for 17 s). The consumer rejoins when told leaders moved.
 */
export class LeadershipWatch {
  private timer: NodeJS.Timeout | undefined;
  private last: Leaders | undefined;
  private checking = false;

  constructor(
    private readonly admin: Admin,
    private readonly topics: readonly string[],
    private readonly intervalMs: number,
    private readonly onMoved: (partitions: string[]) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    await this.admin.connect();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.admin.disconnect();
  }

  /** One look at the leaders; a look that fails (the cluster away) changes nothing. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [...this.topics] });
      const now = leadersOf(topics);
      const moved = this.last ? movedLeaders(this.last, now) : [];
      this.last = now;
      if (moved.length > 0 && this.timer) await this.onMoved(moved);
    } catch {
      // The next look tries again; fetching itself reports what is wrong.
    } finally {
      this.checking = false;
    }
  }
}
