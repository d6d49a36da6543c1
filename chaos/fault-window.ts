import { Sequelize, QueryTypes } from 'sequelize';

/** How the orders placed while a fault was in place fared. */
export interface FaultWindowLatency {
  /** Orders created in the window that ended COMPLETED. */
  readonly completed: number;
  /** p50 / p99 / max of created -> COMPLETED, in ms; undefined with no completed order. */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly maxMs?: number;
}

/**
 * Reads, after the system went quiet, the created -> COMPLETED time of every order this traffic
 * placed between the fault's injection and its healing (order-service's own timestamps: a
 * COMPLETED order's last update is its completion).
 */
export async function faultWindowLatency(
  orderDatabaseUrl: string,
  customerPrefix: string,
  from: Date,
  to: Date,
): Promise<FaultWindowLatency> {
  const sequelize = new Sequelize(orderDatabaseUrl, { logging: false, dialect: 'postgres' });
  try {
    const [row] = await sequelize.query<{
      completed: string;
      p50: number | null;
      p99: number | null;
      max: number | null;
    }>(
      `SELECT count(*) AS completed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
              max(ms) AS max
       FROM (SELECT extract(epoch FROM updated_at - created_at) * 1000 AS ms
             FROM orders
             WHERE status = 'COMPLETED' AND customer_id LIKE $1 || '%'
               AND created_at >= $2 AND created_at <= $3) AS fault_window`,
      { bind: [customerPrefix, from, to], type: QueryTypes.SELECT },
    );
    const ms = (v: number | null | undefined) => (v == null ? undefined : Math.round(Number(v)));
    return {
      completed: Number(row?.completed ?? 0),
      p50Ms: ms(row?.p50),
      p99Ms: ms(row?.p99),
      maxMs: ms(row?.max),
    };
  } finally {
    await sequelize.close();
  }
}
