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

  /**
   * Drops a nudge kept for the next sleep. The relay calls it just before it reads the outbox:
   * every commit nudged so far is visible to that read, so waking for it again would be a read
   * that finds nothing.
   */
  forget(): void {
    this.nudged = false;
  }

  /** Resolves after `ms` (false), or at a nudge or at once if nudged since the last sleep (true). */
  sleep(ms: number): Promise<boolean> {
    if (this.nudged) {
      this.nudged = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const done = (nudged: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(nudged);
      };
      const timer = setTimeout(() => done(false), ms);
      this.wake = () => done(true);
    });
  }
}
