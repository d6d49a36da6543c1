import { DeliveryLoop } from './delivery-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DeliveryLoop', () => {
  let loop: DeliveryLoop | undefined;
  afterEach(() => loop?.stop());

  function start(round: () => Promise<number>, errors: unknown[] = []) {
    loop = new DeliveryLoop(round, {
      intervalMs: 10_000,
      batchSize: 5,
      onError: (e) => errors.push(e),
    });
    loop.start();
    return loop;
  }

  it('runs a round at start, and again at once on a nudge, not only at its interval', async () => {
    let rounds = 0;
    const running = start(async () => (rounds++, 0));
    await sleep(20);
    expect(rounds).toBe(1);
    running.nudge();
    await sleep(20);
    expect(rounds).toBe(2);
  });

  it('keeps going while rounds come back full', async () => {
    const claims = [5, 5, 2];
    let rounds = 0;
    start(async () => claims[rounds++] ?? 0);
    await sleep(30);
    expect(rounds).toBe(3);
  });

  it('does not lose a nudge that came during a round, and never runs two rounds at once', async () => {
    let rounds = 0;
    let running = 0;
    let overlapped = false;
    const l = start(async () => {
      rounds++;
      overlapped ||= ++running > 1;
      await sleep(20);
      running--;
      return 0;
    });
    await sleep(5);
    l.nudge();
    l.nudge();
    await sleep(60);
    expect(rounds).toBe(2);
    expect(overlapped).toBe(false);
  });

  it('reports a round that threw and carries on', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    const l = start(async () => {
      if (rounds++ === 0) throw new Error('database away');
      return 0;
    }, errors);
    await sleep(10);
    l.nudge();
    await sleep(10);
    expect(errors).toEqual([new Error('database away')]);
    expect(rounds).toBe(2);
  });

  it('stop() waits for the round in flight and starts no other', async () => {
    let finished = 0;
    const l = start(async () => (await sleep(30), finished++, 5));
    await sleep(5);
    await l.stop();
    expect(finished).toBe(1);
    await sleep(40);
    expect(finished).toBe(1);
  });
});
