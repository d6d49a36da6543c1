import { QueryTypes, type Sequelize } from 'sequelize';
import type { GatewayLedger, LedgerEntry } from './simulated-gateway';

interface Row {
  kind: LedgerEntry['kind'];
  order_id: string;
  amount_cents: number;
  currency: string;
  reference: string;
  reason: string | null;
}

const COLUMNS = 'kind, order_id, amount_cents, currency, reference, reason';

/**
 * The simulated provider's books in gateway_ledger. Every statement runs on its own, never in
 * the caller's transaction: a provider's books do not roll back with the shop's.
 */
export class SqlGatewayLedger implements GatewayLedger {
  constructor(private readonly sequelize: Sequelize) {}

  async byKey(key: string): Promise<LedgerEntry | undefined> {
    return this.one(`SELECT ${COLUMNS} FROM gateway_ledger WHERE idempotency_key = $1`, [key]);
  }

  async captureByReference(reference: string): Promise<LedgerEntry | undefined> {
    return this.one(
      `SELECT ${COLUMNS} FROM gateway_ledger WHERE reference = $1 AND kind = 'capture'`,
      [reference],
    );
  }

  /** One statement when the key is new; a second reads the entry a first writer left. */
  async record(key: string, e: LedgerEntry): Promise<LedgerEntry> {
    const inserted = await this.all(
      `INSERT INTO gateway_ledger (idempotency_key, ${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${COLUMNS}`,
      [key, e.kind, e.orderId, e.amountCents, e.currency, e.reference, e.reason ?? null],
    );
    return inserted[0] ?? (await this.byKey(key))!;
  }

  private async one(sql: string, bind: unknown[]): Promise<LedgerEntry | undefined> {
    return (await this.all(sql, bind))[0];
  }

  private async all(sql: string, bind: unknown[]): Promise<LedgerEntry[]> {
    const rows = await this.sequelize.query<Row>(sql, { bind, type: QueryTypes.SELECT });
    return rows.map((row) => ({
      kind: row.kind,
      orderId: row.order_id,
      amountCents: Number(row.amount_cents),
      currency: row.currency,
      reference: row.reference,
      reason: row.reason ?? undefined,
    }));
  }
}
