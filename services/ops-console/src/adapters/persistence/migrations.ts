import type { Pool } from 'pg';

/** Held while migrating, so replicas starting together take turns: ASCII "opsc". */
const MIGRATION_LOCK_KEY = 0x6f707363;

interface ConsoleMigration {
  readonly name: string;
  readonly up: string;
}

export const CONSOLE_MIGRATIONS: readonly ConsoleMigration[] = [
  {
    name: 'console-0001-replays',
    up: `CREATE TABLE replays (
           id            uuid PRIMARY KEY,
           operator      text NOT NULL,
           scope         text NOT NULL,
           requested_at  timestamptz NOT NULL DEFAULT now(),
           finished_at   timestamptz
         );
         CREATE INDEX replays_requested_at ON replays (requested_at DESC);
         CREATE TABLE replayed_records (
           replay_id       uuid NOT NULL REFERENCES replays (id),
           dlq_record      text NOT NULL,
           service         text NOT NULL,
           original_topic  text NOT NULL,
           order_id        text,
           target_topic    text NOT NULL,
           replay_count    integer NOT NULL,
           outcome         text NOT NULL
             CHECK (outcome IN ('sending', 'sent', 'failed', 'parked', 'already replayed')),
           error           text,
           PRIMARY KEY (replay_id, dlq_record)
         );
         -- A DLQ entry goes back once: a second operator or replica finds it claimed. A failed send
         -- frees it for another try.
         CREATE UNIQUE INDEX replayed_once ON replayed_records (dlq_record)
           WHERE outcome IN ('sending', 'sent');`,
  },
];

/** Applies what is new, each migration once and in its own transaction. */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS console_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ name: string }>('SELECT name FROM console_migrations');
    const applied = new Set(rows.map((r) => r.name));
    for (const m of CONSOLE_MIGRATIONS.filter((m) => !applied.has(m.name))) {
      await client.query('BEGIN');
      try {
        await client.query(m.up);
        await client.query('INSERT INTO console_migrations (name) VALUES ($1)', [m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    client.release();
  }
}
