import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { ReconciliationLog, ReconciliationResult } from '../../application/ports';

/**
 * Held by the replica reconciling, until its transaction ends: ASCII "recn". Migrations and the
 * outbox relay use other keys.
 */
export const RECONCILIATION_LOCK_KEY = 0x7265636e;

/**
 * The stock_reconciliation row. A turn is the advisory lock (one replica at a time, the others
 * do not wait) plus the interval's number, counted from the epoch on the database's clock so
 * every replica counts the same intervals.
 */
export class SqlReconciliationLog implements ReconciliationLog {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction: Transaction,
  ) {}

  async claimTurn(intervalMs: number): Promise<boolean> {
    const [lock] = await this.select<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1) AS locked',
      [RECONCILIATION_LOCK_KEY],
    );
    if (!lock?.locked) return false;
    const claimed = await this.select(
      `INSERT INTO stock_reconciliation (period)
       VALUES (floor(extract(epoch FROM now()) * 1000 / $1)::bigint)
       ON CONFLICT (singleton) DO UPDATE SET period = excluded.period
       WHERE stock_reconciliation.period < excluded.period
       RETURNING period`,
      [intervalMs],
    );
    return claimed.length > 0;
  }

  async recordSuccess(result: Omit<ReconciliationResult, 'at'>): Promise<void> {
    await this.sequelize.query(
      'UPDATE stock_reconciliation SET succeeded_at = now(), accuracy = $1, products = $2',
      { bind: [result.accuracy, result.products], transaction: this.transaction },
    );
  }

  async lastSuccess(): Promise<ReconciliationResult | undefined> {
    const [row] = await this.select<{ succeeded_at: Date; accuracy: number; products: number }>(
      `SELECT succeeded_at, accuracy, products FROM stock_reconciliation
       WHERE succeeded_at IS NOT NULL`,
      [],
    );
    return row
      ? { accuracy: row.accuracy, products: row.products, at: row.succeeded_at }
      : undefined;
  }

  private select<T extends object>(sql: string, bind: unknown[]): Promise<T[]> {
    return this.sequelize.query<T>(sql, {
      bind,
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    });
  }
}
