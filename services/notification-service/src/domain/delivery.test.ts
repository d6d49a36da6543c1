import { afterFailedAttempt } from './delivery';

const policy = { maxAttempts: 5, firstDelayMs: 1_000, maxDelayMs: 5_000 };
const at = new Date('2026-01-01T00:00:00.000Z');
const waitAfter = (attempts: number) => {
  const next = afterFailedAttempt(attempts, at, policy);
  return next.giveUp ? 'give up' : next.retryAt.getTime() - at.getTime();
};

describe('a failed delivery attempt', () => {
  it('is retried after a wait that doubles, up to its ceiling', () => {
    expect([1, 2, 3, 4].map(waitAfter)).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it('is the last when the attempts allowed are used up', () => {
    expect(waitAfter(5)).toBe('give up');
    expect(waitAfter(6)).toBe('give up');
    expect(afterFailedAttempt(1, at, { ...policy, maxAttempts: 1 })).toEqual({ giveUp: true });
  });
});
