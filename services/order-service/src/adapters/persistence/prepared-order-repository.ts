import type { Transaction } from 'sequelize';
import { runPrepared, type PreparedStatement } from '@shop/messaging';
import type { Order } from '../../domain/order';
import type {
  ActiveStatus,
  DeadlineCutoffs,
  IdempotencyClaim,
  IdempotencyKey,
  OrderQuery,
  OrderRepository,
} from '../../application/ports';
import { ORDER_COLUMNS, toOrder, toRecord, type OrderRecord } from './order-record';

const FIND: PreparedStatement = {
  name: 'order-find',
  text: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`,
};

const FIND_FOR_UPDATE: PreparedStatement = {
  name: 'order-find-for-update',
  text: `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 FOR UPDATE`,
};

/**
 * Claims the key (when there is one) and inserts the order in one round trip. The key's row
 * refers to the order, a foreign key checked at commit, so their order in the statement does not
 * matter. A concurrent request with the same key waits in ON CONFLICT until the first commits.
 */
const CLAIM_AND_INSERT: PreparedStatement = {
  name: 'order-claim-and-insert',
  text: `WITH claim AS (
      INSERT INTO idempotency_keys (key, request_hash, order_id)
      SELECT $2::text, $3::text, $1::uuid WHERE $2::text IS NOT NULL
      ON CONFLICT (key) DO NOTHING
      RETURNING key
    )
    INSERT INTO orders (id, customer_id, status, lines, payment_method, priced_lines, amount_cents,
      currency, payment_id, cancellation_reason, short_lines, history, created_at, updated_at)
    SELECT $1::uuid, $4::text, $5::text, $6::jsonb, $7::jsonb, $8::jsonb, $9::integer, $10::char(3),
      $11::uuid, $12::text, $13::jsonb, $14::jsonb, $15::timestamptz, $16::timestamptz
    WHERE $2::text IS NULL OR EXISTS (SELECT FROM claim)
    RETURNING id`,
};

/** Who had the key: read in a statement of its own, whose snapshot sees the first one's commit. */
const CLAIM_HOLDER: PreparedStatement = {
  name: 'order-claim-holder',
  text: 'SELECT request_hash, order_id FROM idempotency_keys WHERE key = $1',
};

/** What a saga step or a cancel may change; the rest of an order is fixed when it is placed. */
const UPDATE: PreparedStatement = {
  name: 'order-update',
  text: `UPDATE orders SET status = $2, priced_lines = $3::jsonb, amount_cents = $4, currency = $5,
      payment_id = $6, cancellation_reason = $7, short_lines = $8::jsonb, history = $9::jsonb,
      updated_at = $10
    WHERE id = $1`,
};

/**
 * The hot paths as named prepared statements on the transaction's own connection (issue 15):
 * PostgreSQL parses and plans each once per connection, and Sequelize builds and maps nothing.
 * Listing and the deadline sweep, rarely run, stay with the Sequelize repository.
 */
export class PreparedOrderRepository implements OrderRepository {
  constructor(
    private readonly transaction: Transaction,
    private readonly sequelizeRepository: OrderRepository,
  ) {}

  findById(id: string): Promise<Order | undefined> {
    return this.findOne(FIND, id);
  }

  findForUpdate(id: string): Promise<Order | undefined> {
    return this.findOne(FIND_FOR_UPDATE, id);
  }

  async insert(order: Order, idempotency?: IdempotencyKey): Promise<IdempotencyClaim> {
    const r = toRecord(order.snapshot);
    const { rowCount } = await runPrepared(this.transaction, CLAIM_AND_INSERT, [
      r.id,
      idempotency?.key ?? null,
      idempotency?.requestHash ?? null,
      r.customerId,
      r.status,
      json(r.lines),
      json(r.paymentMethod),
      json(r.pricedLines),
      r.amountCents,
      r.currency,
      r.paymentId,
      r.cancellationReason,
      json(r.shortLines),
      json(r.history),
      r.createdAt,
      r.updatedAt,
    ]);
    if (rowCount > 0 || !idempotency) return { claimed: true };
    const { rows } = await runPrepared<{ request_hash: string; order_id: string }>(
      this.transaction,
      CLAIM_HOLDER,
      [idempotency.key],
    );
    return { claimed: false, requestHash: rows[0]!.request_hash, orderId: rows[0]!.order_id };
  }

  async update(order: Order): Promise<void> {
    const r = toRecord(order.snapshot);
    await runPrepared(this.transaction, UPDATE, [
      r.id,
      r.status,
      json(r.pricedLines),
      r.amountCents,
      r.currency,
      r.paymentId,
      r.cancellationReason,
      json(r.shortLines),
      json(r.history),
      r.updatedAt,
    ]);
  }

  list(query: OrderQuery): Promise<{ orders: Order[]; total: number }> {
    return this.sequelizeRepository.list(query);
  }

  claimOverdue(cutoffs: DeadlineCutoffs, limit: number): Promise<Order[]> {
    return this.sequelizeRepository.claimOverdue(cutoffs, limit);
  }

  countOverdue(cutoffs: DeadlineCutoffs): Promise<Record<ActiveStatus, number>> {
    return this.sequelizeRepository.countOverdue(cutoffs);
  }

  listOverdue(cutoffs: DeadlineCutoffs, limit: number): Promise<Order[]> {
    return this.sequelizeRepository.listOverdue(cutoffs, limit);
  }

  private async findOne(statement: PreparedStatement, id: string): Promise<Order | undefined> {
    const { rows } = await runPrepared<OrderRecord & Record<string, unknown>>(
      this.transaction,
      statement,
      [id],
    );
    return rows[0] ? toOrder(rows[0]) : undefined;
  }
}

/** pg would send a JavaScript array as a PostgreSQL array, not as JSON. */
function json(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}
