/**
 * Runs delivery rounds one at a time: at once on start (what a crash left PENDING goes out at
 * start-up), again at once while rounds come back full, on a nudge after a commit, and otherwise
 * every `intervalMs` (retries that came due, another replica's leftovers).
 */
export class DeliveryLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private nudged = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly round: () => Promise<number>,
    private readonly options: {
      readonly intervalMs: number;
      readonly batchSize: number;
      /** A round that threw (the database away, say): reported, and tried again next interval. */
      readonly onError: (error: unknown) => void;
    },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** A commit recorded a notification: the next round starts now, or right after this one. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** No new round starts; resolves once the one in flight has recorded its outcomes. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudged = false;
      let full = false;
      try {
        full = (await this.round()) >= this.options.batchSize;
      } catch (error) {
        this.options.onError(error);
      }
      if (!full && !this.nudged && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.intervalMs);
      this.wake = done;
    });
  }
}
