import { QueryTypes, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import type { TransactionScope, UnitOfWorkFactory } from '@shop/messaging';
import { Order, type OrderState } from '../../domain/order';
import type {
  IdempotencyClaim,
  IdempotencyKeys,
  OrderQuery,
  OrderRepository,
  OrderUnitOfWork,
} from '../../application/ports';
import { defineOrderModel, type OrderRow } from './order.model';

/** order-service's unit of work in PostgreSQL, over a scope opened by an HTTP use case or the consumer. */
export function orderUnitOfWork(sequelize: Sequelize): UnitOfWorkFactory<OrderUnitOfWork> {
  const rows = defineOrderModel(sequelize);
  return ({ transaction, publish, afterCommit }: TransactionScope) => ({
    orders: new SqlOrderRepository(rows, transaction),
    idempotencyKeys: new SqlIdempotencyKeys(sequelize, transaction),
    publish,
    afterCommit,
  });
}

class SqlOrderRepository implements OrderRepository {
  constructor(
    private readonly rows: typeof OrderRow,
    private readonly transaction: Transaction,
  ) {}

  async findById(id: string): Promise<Order | undefined> {
    const row = await this.rows.findByPk(id, { transaction: this.transaction });
    return row ? toOrder(row) : undefined;
  }

  async findForUpdate(id: string): Promise<Order | undefined> {
    const row = await this.rows.findByPk(id, {
      transaction: this.transaction,
      lock: this.transaction.LOCK.UPDATE,
    });
    return row ? toOrder(row) : undefined;
  }

  async insert(order: Order): Promise<void> {
    await this.rows.create(toRow(order.snapshot), { transaction: this.transaction });
  }

  async update(order: Order): Promise<void> {
    const { id, ...rest } = toRow(order.snapshot);
    await this.rows.update(rest, { where: { id }, transaction: this.transaction });
  }

  async list(query: OrderQuery): Promise<{ orders: Order[]; total: number }> {
    const where: WhereOptions = {};
    if (query.customerId !== undefined) Object.assign(where, { customerId: query.customerId });
    if (query.status !== undefined) Object.assign(where, { status: query.status });
    const { rows, count } = await this.rows.findAndCountAll({
      where,
      order: [
        ['createdAt', 'DESC'],
        ['id', 'ASC'],
      ],
      limit: query.limit,
      offset: query.offset,
      transaction: this.transaction,
    });
    return { orders: rows.map(toOrder), total: count };
  }
}

class SqlIdempotencyKeys implements IdempotencyKeys {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction: Transaction,
  ) {}

  async claim(key: string, requestHash: string, orderId: string): Promise<IdempotencyClaim> {
    // A concurrent request with the same key waits here until the first one commits.
    const inserted = await this.sequelize.query(
      `INSERT INTO idempotency_keys (key, request_hash, order_id) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      { bind: [key, requestHash, orderId], transaction: this.transaction, type: QueryTypes.SELECT },
    );
    if (inserted.length > 0) return { claimed: true };
    const [existing] = await this.sequelize.query<{ request_hash: string; order_id: string }>(
      'SELECT request_hash, order_id FROM idempotency_keys WHERE key = $1',
      { bind: [key], transaction: this.transaction, type: QueryTypes.SELECT },
    );
    return { claimed: false, requestHash: existing!.request_hash, orderId: existing!.order_id };
  }
}

function toOrder(row: OrderRow): Order {
  const state: OrderState = {
    id: row.id,
    customerId: row.customerId,
    status: row.status,
    lines: row.lines,
    paymentMethod: row.paymentMethod,
    pricedLines: row.pricedLines ?? undefined,
    amountCents: row.amountCents ?? undefined,
    currency: row.currency ?? undefined,
    paymentId: row.paymentId ?? undefined,
    cancellationReason: row.cancellationReason ?? undefined,
    shortLines: row.shortLines ?? undefined,
    history: row.history,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
  return Order.restore(state);
}

function toRow(s: OrderState) {
  return {
    id: s.id,
    customerId: s.customerId,
    status: s.status,
    lines: s.lines,
    paymentMethod: s.paymentMethod,
    pricedLines: s.pricedLines ?? null,
    amountCents: s.amountCents ?? null,
    currency: s.currency ?? null,
    paymentId: s.paymentId ?? null,
    cancellationReason: s.cancellationReason ?? null,
    shortLines: s.shortLines ?? null,
    history: s.history,
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
  };
}
