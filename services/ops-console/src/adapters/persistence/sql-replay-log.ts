import crypto from 'node:crypto';
import type { Pool } from 'pg';
import type {
  RecordOutcome,
  Replay,
  ReplayLog,
  ReplaySummary,
  ReplayedRecord,
  SendOutcome,
} from '../../application/ports';

/** A `replays` row: who asked for what, and when it began and ended. */
interface ReplayRow {
  id: string;
  operator: string;
  scope: string;
  requested_at: Date;
  finished_at: Date | null;
}

interface RecordRow {
  dlq_record: string;
  service: string;
  original_topic: string;
  order_id: string | null;
  target_topic: string;
  replay_count: number;
  outcome: RecordOutcome | 'sending';
  error: string | null;
}

const OUTCOMES: readonly RecordOutcome[] = ['sent', 'failed', 'parked', 'already replayed'];

/**
 * A claim still 'sending' this long after its replay began belongs to a console that stopped
 * between claiming and sending (a send takes milliseconds): it no longer holds the record.
 */
export const ABANDONED_AFTER_MS = 10 * 60_000;

/** The replays table: who asked, when, for what, and each record's outcome. */
export class SqlReplayLog implements ReplayLog {
  constructor(private readonly pool: Pool) {}

  async replayedAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.pool.query<{ dlq_record: string }>(
      `SELECT rr.dlq_record FROM replayed_records rr JOIN replays r ON r.id = rr.replay_id
        WHERE rr.dlq_record = ANY($1)
          AND (rr.outcome = 'sent'
               OR (rr.outcome = 'sending' AND r.requested_at >= now() - make_interval(secs => $2)))`,
      [ids, ABANDONED_AFTER_MS / 1000],
    );
    return new Set(rows.map((r) => r.dlq_record));
  }

  async begin(
    operator: string,
    scope: string,
    toSend: readonly ReplayedRecord[],
    notSent: readonly ReplayedRecord[],
  ): Promise<{ replayId: string; claimed: Set<string> }> {
    const replayId = crypto.randomUUID();
    const client = await this.pool.connect();
    const claimed = new Set<string>();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE replayed_records rr
            SET outcome = 'failed', error = 'not confirmed sent (the console stopped mid-replay)'
           FROM replays r
          WHERE r.id = rr.replay_id AND rr.outcome = 'sending' AND rr.dlq_record = ANY($1)
            AND r.requested_at < now() - make_interval(secs => $2)`,
        [toSend.map((r) => r.id), ABANDONED_AFTER_MS / 1000],
      );
      await client.query('INSERT INTO replays (id, operator, scope) VALUES ($1, $2, $3)', [
        replayId,
        operator,
        scope,
      ]);
      const insert = (r: ReplayedRecord, outcome: string) =>
        client.query(
          `INSERT INTO replayed_records
             (replay_id, dlq_record, service, original_topic, order_id, target_topic, replay_count, outcome)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (dlq_record) WHERE outcome IN ('sending', 'sent') DO NOTHING`,
          [replayId, r.id, r.service, r.originalTopic, r.orderId, r.target, r.replayCount, outcome],
        );
      for (const r of toSend) {
        if ((await insert(r, 'sending')).rowCount === 1) claimed.add(r.id);
        else await insert(r, 'already replayed');
      }
      for (const r of notSent) await insert(r, r.outcome);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
    return { replayId, claimed };
  }

  async finish(replayId: string, outcomes: readonly SendOutcome[]): Promise<void> {
    for (const o of outcomes) {
      await this.pool.query(
        `UPDATE replayed_records SET outcome = $3, error = $4 WHERE replay_id = $1 AND dlq_record = $2`,
        [replayId, o.id, o.error === undefined ? 'sent' : 'failed', o.error ?? null],
      );
    }
    await this.pool.query('UPDATE replays SET finished_at = now() WHERE id = $1', [replayId]);
  }

  async recent(limit: number): Promise<ReplaySummary[]> {
    const { rows } = await this.pool.query<
      ReplayRow & { outcome: string | null; n: string | null }
    >(
      `SELECT r.id, r.operator, r.scope, r.requested_at, r.finished_at, c.outcome, c.n
         FROM (SELECT * FROM replays ORDER BY requested_at DESC LIMIT $1) r
         LEFT JOIN (SELECT replay_id, outcome, count(*) AS n FROM replayed_records GROUP BY 1, 2) c
           ON c.replay_id = r.id
        ORDER BY r.requested_at DESC`,
      [limit],
    );
    const byId = new Map<string, ReplaySummary & { counts: Record<RecordOutcome, number> }>();
    for (const row of rows) {
      let summary = byId.get(row.id);
      if (!summary) {
        summary = {
          ...replayOf(row),
          counts: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<RecordOutcome, number>,
        };
        byId.set(row.id, summary);
      }
      if (row.outcome && row.outcome in summary.counts)
        summary.counts[row.outcome as RecordOutcome] += Number(row.n);
    }
    return [...byId.values()];
  }

  async find(replayId: string): Promise<Replay | undefined> {
    const { rows } = await this.pool.query<ReplayRow>(
      'SELECT id, operator, scope, requested_at, finished_at FROM replays WHERE id = $1',
      [replayId],
    );
    const replay = rows[0];
    if (!replay) return undefined;
    const records = await this.pool.query<RecordRow>(
      `SELECT dlq_record, service, original_topic, order_id, target_topic, replay_count, outcome, error
         FROM replayed_records WHERE replay_id = $1 ORDER BY dlq_record`,
      [replayId],
    );
    return {
      ...replayOf(replay),
      records: records.rows.map((r) => ({
        id: r.dlq_record,
        service: r.service,
        originalTopic: r.original_topic,
        orderId: r.order_id,
        target: r.target_topic,
        replayCount: r.replay_count,
        // A replay whose process died between claim and send: shown as what it is.
        outcome: r.outcome === 'sending' ? 'failed' : r.outcome,
        error:
          r.outcome === 'sending'
            ? 'not confirmed sent (the console stopped mid-replay)'
            : (r.error ?? undefined),
      })),
    };
  }
}

function replayOf(row: ReplayRow) {
  return {
    id: row.id,
    operator: row.operator,
    scope: row.scope,
    requestedAt: row.requested_at,
    finishedAt: row.finished_at ?? undefined,
  };
}
