import { repeatEvery } from './repeat-every';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('repeatEvery', () => {
  it('runs at its interval, never two runs at once, and stop() waits for the one in flight', async () => {
    let started = 0;
    let running = 0;
    let overlapped = false;
    let finished = 0;
    const repeating = repeatEvery(20, async () => {
      started++;
      running++;
      overlapped ||= running > 1;
      await sleep(50);
      running--;
      finished++;
    });
    await sleep(200);
    await repeating.stop();
    expect(started).toBeGreaterThanOrEqual(2);
    expect(overlapped).toBe(false);
    expect(finished).toBe(started);
    await sleep(60);
    expect(finished).toBe(started);
  });
});
