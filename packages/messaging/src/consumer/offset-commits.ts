import type { EachBatchPayload, Offsets, TopicOffsets } from 'kafkajs';
import type { Logger } from '@shop/observability';

/** The offsets of the batch in hand: what was applied, and what is owed when it ends. */
export interface BatchOffsets {
  /** Records up to `offset` have durable outcomes (`records` of them since the last call). */
  applied(offset: string, records: number): void;
  /** The batch is over, by its end or by an error (`interrupted`). */
  finish(interrupted: boolean): Promise<void>;
}

/**
 * When the consumer commits offsets. They only bound redelivery after a crash or a rebalance
 * (processed_events keeps effects single), so each way trades offset-commit requests, every one
 * replicated three ways, against records read twice.
 */
export interface OffsetCommits {
  forBatch(payload: EachBatchPayload): BatchOffsets;
  /** Commits every offset still owed, before the group rebalances or the consumer leaves. */
  flush(): Promise<void>;
  /** The group rebalanced: offsets owed belong to an assignment that is gone. */
  forget(): void;
}

const nextOf = (offset: string) => (BigInt(offset) + 1n).toString();

/**
 * Per partition, after a chunk once `every` records are uncommitted and no commit of the batch is
 * in flight, and at the end of each batch. The commit runs while the next chunk is applied:
 * waiting for each broker round trip cost the consumer two thirds of its time.
 */
export class CommitsByRecordCount implements OffsetCommits {
  constructor(private readonly every: number) {}

  forBatch({ batch, commitOffsetsIfNecessary }: EachBatchPayload): BatchOffsets {
    const { topic, partition } = batch;
    const every = this.every;
    let lastApplied: string | undefined;
    let sinceCommit = 0;
    let committing: Promise<void> = Promise.resolve();
    let inFlight = false;
    let failure: unknown;
    const commit = () => {
      if (lastApplied === undefined || sinceCommit === 0) return;
      sinceCommit = 0;
      inFlight = true;
      committing = commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: nextOf(lastApplied) }] }],
      })
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => (inFlight = false));
    };
    return {
      applied(offset, records) {
        lastApplied = offset;
        sinceCommit += records;
        if (failure !== undefined) throw failure;
        if (sinceCommit >= every && !inFlight) commit();
      },
      async finish(interrupted) {
        await committing;
        commit();
        await committing;
        if (failure !== undefined && !interrupted) throw failure;
      },
    };
  }

  async flush(): Promise<void> {}

  forget(): void {}
}

/**
 * At most every `intervalMs`, whatever the record count, for every partition of the member in one
 * request, across batches. Owed offsets are committed when the interval has passed after a chunk,
 * by a timer on a partition that went quiet, at the end of a batch that failed or stops, and
 * before a rebalance or a stop.
 */
export class CommitsByTime implements OffsetCommits {
  private readonly owed = new Map<string, { partition: number; offset: string; topic: string }>();
  /** kafkajs hands it to each batch; it commits in the member's current generation. */
  private commit: EachBatchPayload['commitOffsetsIfNecessary'] | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastCommitAt = Date.now();
  /** Changes when owed offsets are forgotten, so a late failure does not bring them back. */
  private generation = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  forBatch(payload: EachBatchPayload): BatchOffsets {
    this.commit = payload.commitOffsetsIfNecessary;
    const { topic, partition } = payload.batch;
    return {
      applied: (offset) => {
        this.owed.set(`${topic}:${partition}`, { topic, partition, offset: nextOf(offset) });
        this.schedule(this.lastCommitAt + this.intervalMs - Date.now());
      },
      finish: async (interrupted) => {
        if (interrupted || !payload.isRunning()) await this.flush();
      },
    };
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    if (this.owed.size === 0 || !this.commit) return;
    const offsets = [...this.owed.values()];
    this.owed.clear();
    this.lastCommitAt = Date.now();
    const generation = this.generation;
    this.inFlight = this.commit({ topics: byTopic(offsets) })
      .catch((error: unknown) => {
        if (generation !== this.generation) return;
        this.log.warn({ err: error }, 'offset commit failed; trying again');
        // Newer offsets of a partition, applied meanwhile, win over the ones that failed.
        for (const owed of offsets) {
          const key = `${owed.topic}:${owed.partition}`;
          if (!this.owed.has(key)) this.owed.set(key, owed);
        }
        this.schedule(this.intervalMs);
      })
      .finally(() => (this.inFlight = undefined));
    await this.inFlight;
  }

  forget(): void {
    this.generation++;
    this.owed.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(inMs: number): void {
    if (inMs <= 0 && !this.inFlight) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        void this.flush();
      },
      Math.max(inMs, 0),
    ).unref();
  }
}

function byTopic(
  offsets: ReadonlyArray<{ topic: string; partition: number; offset: string }>,
): Offsets['topics'] {
  const topics = new Map<string, TopicOffsets>();
  for (const { topic, partition, offset } of offsets) {
    let entry = topics.get(topic);
    if (!entry) topics.set(topic, (entry = { topic, partitions: [] }));
    entry.partitions.push({ partition, offset });
  }
  return [...topics.values()];
}
