import { Client } from 'pg';

/** How the orders placed in a window of a scenario fared. */
export interface FaultWindowLatency {
  /** Orders created in the window that ended COMPLETED. */
  readonly completed: number;
  /** p99 of created -> COMPLETED, in ms; undefined with no completed order. */
  readonly p99Ms?: number;
}

/**
 * Reads, after the system went quiet, the created -> COMPLETED time of every order this traffic
 * placed in a window, e.g. between a fault's injection and its healing (order-service's own
 * timestamps: a COMPLETED order's last update is its completion).
 */
export async function faultWindowLatency(
  orderDatabaseUrl: string,
  customerPrefix: string,
  from: Date,
  to: Date,
): Promise<FaultWindowLatency> {
  const db = new Client({ connectionString: orderDatabaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ completed: string; p99: number | null }>(
      `SELECT count(*) AS completed,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at) * 1000) AS p99
       FROM orders
       WHERE status = 'COMPLETED' AND customer_id LIKE $1 || '-%'
         AND created_at >= $2 AND created_at <= $3`,
      [customerPrefix, from, to],
    );
    const p99 = rows[0]?.p99;
    return {
      completed: Number(rows[0]?.completed ?? 0),
      p99Ms: p99 == null ? undefined : Math.round(Number(p99)),
    };
  } finally {
    await db.end();
  }
}
