import crypto from 'node:crypto';
import { Client } from 'pg';
import { orderCreatedRecord, secondsSince } from '../records';
import { rateOf, type Rate } from './kafkajs';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS bench_processed (group_id text, event_id uuid, PRIMARY KEY (group_id, event_id));
  CREATE TABLE IF NOT EXISTS bench_stock (id text PRIMARY KEY, available int NOT NULL);
  CREATE TABLE IF NOT EXISTS bench_outbox (id bigserial PRIMARY KEY, topic text, message_key text, value text, headers jsonb);
  INSERT INTO bench_stock SELECT 'P-' || g, 1000000000 FROM generate_series(1, 50) g ON CONFLICT DO NOTHING;`;

/**
 * Transactions of one saga step's shape with plain `pg` and no framework: mark the event
 * processed, lock and update a stock row, append an outbox row, commit (fsync on). `clients`
 * run at once, as a consumer's concurrent partitions do.
 */
export async function rawSagaStepTransactions(
  databaseUrl: string,
  transactions: number,
  clients = 3,
): Promise<Rate> {
  const setup = new Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query(SCHEMA);
  await setup.end();
  const value = orderCreatedRecord().value;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        while (next++ < transactions) {
          await client.query('BEGIN');
          await client.query('INSERT INTO bench_processed VALUES ($1, $2) ON CONFLICT DO NOTHING', [
            'bench',
            crypto.randomUUID(),
          ]);
          const id = `P-${1 + (next % 50)}`;
          await client.query('SELECT available FROM bench_stock WHERE id = $1 FOR UPDATE', [id]);
          await client.query('UPDATE bench_stock SET available = available - 1 WHERE id = $1', [
            id,
          ]);
          await client.query(
            'INSERT INTO bench_outbox (topic, message_key, value, headers) VALUES ($1, $2, $3, $4)',
            ['stock-reserved', id, value, '{}'],
          );
          await client.query('COMMIT');
        }
      } finally {
        await client.end();
      }
    }),
  );
  return rateOf(transactions, secondsSince(started));
}
