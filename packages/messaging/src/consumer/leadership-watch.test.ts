import type { Admin } from 'kafkajs';
import { LeadershipWatch, leadersOf, movedLeaders } from './leadership-watch';

const metadata = (leaders: number[]) => ({
  topics: [
    {
      name: 'order-created',
      partitions: leaders.map((leader, partitionId) => ({ partitionId, leader })),
    },
  ],
});

describe('partition leaders', () => {
  it('names the partitions whose leader changed, and no new or unchanged one', () => {
    const before = leadersOf(metadata([1, 2, 3]).topics);
    expect(movedLeaders(before, leadersOf(metadata([1, 3, 3]).topics))).toEqual([
      'order-created/1',
    ]);
    expect(movedLeaders(before, leadersOf(metadata([1, 2, 3, 1]).topics))).toEqual([]);
  });
});

describe('LeadershipWatch', () => {
  function watching(answers: Array<ReturnType<typeof metadata> | Error>) {
    const moves: string[][] = [];
    const admin = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicMetadata: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    } as unknown as Admin;
    const watch = new LeadershipWatch(admin, ['order-created'], 60_000, async (moved) => {
      moves.push(moved);
    });
    return { watch, moves };
  }

  it('tells once when a leader moved, comparing with its last look only', async () => {
    const { watch, moves } = watching([
      metadata([1, 2, 3]),
      metadata([1, 3, 3]),
      metadata([1, 3, 3]),
    ]);
    await watch.start();
    await watch.check();
    await watch.check();
    await watch.check();
    await watch.stop();
    expect(moves).toEqual([['order-created/1']]);
  });

  it('changes nothing on a look that fails, and tells nothing once stopped', async () => {
    const { watch, moves } = watching([
      metadata([1, 2, 3]),
      new Error('broker away'),
      metadata([1, 2, 3]),
      metadata([2, 2, 3]),
    ]);
    await watch.start();
    await watch.check();
    await watch.check();
    await watch.check();
    await watch.stop();
    await watch.check();
    expect(moves).toEqual([]);
  });
});
