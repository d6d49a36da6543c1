import type { Admin, Kafka } from 'kafkajs';

export interface ClusterProbeOptions {
  /** A probe that waits longer than this counts as "not reachable". */
  readonly timeoutMs: number;
  /** Answers are reused this long, so frequent probes do not each cost a round trip. */
  readonly cacheMs: number;
}

/**
 * Answers "can we reach the cluster now?" for a readiness probe. Flags set at start-up would
 * say yes long after the brokers went away. One metadata request at a time: a request that
 * outlives its timeout (kafkajs keeps retrying) is waited for, never doubled, because concurrent
 * requests on one kafkajs admin client are not safe.
 */
export class ClusterProbe {
  private readonly admin: Admin;
  private asking: Promise<boolean> | undefined;
  private last: { at: number; reachable: boolean } | undefined;

  constructor(
    kafka: Kafka,
    private readonly options: ClusterProbeOptions = { timeoutMs: 2_000, cacheMs: 5_000 },
  ) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  async reachable(): Promise<boolean> {
    if (this.last && Date.now() - this.last.at < this.options.cacheMs) return this.last.reachable;
    this.asking ??= this.admin
      .describeCluster()
      .then(({ brokers }) => brokers.length > 0)
      .catch(() => false)
      .finally(() => (this.asking = undefined));
    let timer: NodeJS.Timeout | undefined;
    const reachable = await Promise.race([
      this.asking,
      new Promise<boolean>(
        (resolve) => (timer = setTimeout(resolve, this.options.timeoutMs, false)),
      ),
    ]).finally(() => clearTimeout(timer));
    this.last = { at: Date.now(), reachable };
    return reachable;
  }
}
