export interface Repeating {
  /** No new run starts; resolves once the one in flight has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs` at a fixed rate; a run still going when the next is due makes
 * that one skip, so runs never overlap. `work` reports its own failures.
 */
export function repeatEvery(intervalMs: number, work: () => Promise<unknown>): Repeating {
  let inFlight: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = work().finally(() => (inFlight = undefined));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
