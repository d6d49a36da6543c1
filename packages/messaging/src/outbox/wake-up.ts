/**
 * A sleep that a nudge cuts short, including a nudge that came while nobody was sleeping: a commit
 * that lands while the relay is publishing must not wait out the next poll interval.
 */
export class WakeUp {
  private nudged = false;
  private wake: (() => void) | undefined;

  nudge(): void {
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  /** Resolves after `ms`, at a nudge, or at once if nudged since the last sleep. */
  sleep(ms: number): Promise<void> {
    if (this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
