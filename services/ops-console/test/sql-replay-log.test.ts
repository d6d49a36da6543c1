import { Pool } from 'pg';
import { createTestDatabase } from '@shop/testkit';
import type { ReplayedRecord } from '../src/application/ports';
import { migrate } from '../src/adapters/persistence/migrations';
import { ABANDONED_AFTER_MS, SqlReplayLog } from '../src/adapters/persistence/sql-replay-log';

const record = (id: string): ReplayedRecord => ({
  id,
  service: 'inventory-service',
  originalTopic: 'order-created',
  orderId: 'order-1',
  target: 'inventory-service-retry-1',
  replayCount: 0,
  outcome: 'sent',
});

describe('the replays table', () => {
  let pool: Pool;
  let drop: () => Promise<void>;
  let log: SqlReplayLog;

  beforeAll(async () => {
    const db = await createTestDatabase('console_log');
    drop = db.drop;
    pool = new Pool({ connectionString: db.url, max: 4 });
    // Twice, as two replicas starting together would: the second finds it done.
    await Promise.all([migrate(pool), migrate(pool)]);
    log = new SqlReplayLog(pool);
  });
  afterAll(async () => {
    await pool.end();
    await drop();
  });

  it('lets one of two replays claim a dead letter, the other records it as already replayed', async () => {
    const [a, b] = await Promise.all([
      log.begin('ada', 'one record', [record('dlq/0/1')], []),
      log.begin('grace', 'one record', [record('dlq/0/1')], []),
    ]);
    expect(a.claimed.size + b.claimed.size).toBe(1);
    const loser = a.claimed.size === 0 ? a : b;
    expect((await log.find(loser.replayId))!.records[0]!.outcome).toBe('already replayed');
    expect(await log.replayedAmong(['dlq/0/1', 'dlq/0/2'])).toEqual(new Set(['dlq/0/1']));
  });

  it('frees a record whose send failed, for a later replay', async () => {
    const first = await log.begin('ada', 'one record', [record('dlq/0/3')], []);
    await log.finish(first.replayId, [
      { id: 'dlq/0/3', target: 'inventory-service-retry-1', error: 'broker away' },
    ]);
    expect((await log.find(first.replayId))!.records[0]).toMatchObject({
      outcome: 'failed',
      error: 'broker away',
    });
    const second = await log.begin('ada', 'one record', [record('dlq/0/3')], []);
    expect(second.claimed).toEqual(new Set(['dlq/0/3']));
    await log.finish(second.replayId, [{ id: 'dlq/0/3', target: 'inventory-service-retry-1' }]);
    const recent = await log.recent(10);
    expect(recent[0]).toMatchObject({ id: second.replayId, counts: { sent: 1, failed: 0 } });
  });

  it('takes back a claim whose console stopped before sending', async () => {
    const stuck = await log.begin('ada', 'one record', [record('dlq/0/4')], []);
    expect(await log.replayedAmong(['dlq/0/4'])).toEqual(new Set(['dlq/0/4']));
    await pool.query(
      'UPDATE replays SET requested_at = now() - make_interval(secs => $2) WHERE id = $1',
      [stuck.replayId, ABANDONED_AFTER_MS / 1000 + 1],
    );
    expect(await log.replayedAmong(['dlq/0/4'])).toEqual(new Set());
    const retry = await log.begin('grace', 'one record', [record('dlq/0/4')], []);
    expect(retry.claimed).toEqual(new Set(['dlq/0/4']));
    expect((await log.find(stuck.replayId))!.records[0]).toMatchObject({
      outcome: 'failed',
      error: 'not confirmed sent (the console stopped mid-replay)',
    });
  });
});
