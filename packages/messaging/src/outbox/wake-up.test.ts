import { WakeUp } from './wake-up';

describe('WakeUp', () => {
  it('ends a sleep at a nudge, and says it was one', async () => {
    const wakeUp = new WakeUp();
    const sleeping = wakeUp.sleep(60_000);
    wakeUp.nudge();
    await expect(sleeping).resolves.toBe(true);
  });

  it('says when a sleep ran its time', async () => {
    await expect(new WakeUp().sleep(1)).resolves.toBe(false);
  });

  it('keeps a nudge that came while nobody slept, for the next sleep only', async () => {
    jest.useFakeTimers();
    try {
      const wakeUp = new WakeUp();
      wakeUp.nudge();
      await expect(wakeUp.sleep(60_000)).resolves.toBe(true);
      let woke = false;
      void wakeUp.sleep(60_000).then(() => (woke = true));
      await jest.advanceTimersByTimeAsync(59_999);
      expect(woke).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(woke).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('forgets a kept nudge once the relay reads everything it announced', async () => {
    const wakeUp = new WakeUp();
    wakeUp.nudge();
    wakeUp.forget();
    await expect(wakeUp.sleep(1)).resolves.toBe(false);
  });
});
