import { QueryTypes, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import type { TransactionScope, UnitOfWorkFactory } from '@shop/messaging';
import type { Order } from '../../domain/order';
import type {
  ActiveStatus,
  DeadlineCutoffs,
  IdempotencyClaim,
  IdempotencyKey,
  OrderQuery,
  OrderRepository,
  OrderUnitOfWork,
} from '../../application/ports';
import { CLAIM_OVERDUE, COUNT_OVERDUE, LIST_OVERDUE, cutoffParameters } from './overdue-orders';
import { defineOrderModel, type OrderRow } from './order.model';
import { toOrder, toRecord, type OrderRecord } from './order-record';
import { PreparedOrderRepository } from './prepared-order-repository';

export interface OrderStoreOptions {
  /** The hot paths (place order, saga steps) as named prepared statements (issue 15). */
  readonly preparedStatements: boolean;
}

/** order-service's unit of work in PostgreSQL, over a scope opened by an HTTP use case or the consumer. */
export function orderUnitOfWork(
  sequelize: Sequelize,
  { preparedStatements }: OrderStoreOptions,
): UnitOfWorkFactory<OrderUnitOfWork> {
  const rows = defineOrderModel(sequelize);
  return ({ transaction, publish, afterCommit }: TransactionScope) => {
    const orders = new SqlOrderRepository(sequelize, rows, transaction);
    return {
      orders: preparedStatements ? new PreparedOrderRepository(transaction, orders) : orders,
      publish,
      afterCommit,
    };
  };
}

/** Every query through Sequelize: the baseline of the hot paths, and the store's rarely run queries. */
class SqlOrderRepository implements OrderRepository {
  constructor(
    private readonly sequelize: Sequelize,
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

  async insert(order: Order, idempotency?: IdempotencyKey): Promise<IdempotencyClaim> {
    if (idempotency) {
      const claim = await this.claim(idempotency, order.id);
      if (!claim.claimed) return claim;
    }
    await this.rows.create({ ...toRecord(order.snapshot) }, { transaction: this.transaction });
    return { claimed: true };
  }

  async update(order: Order): Promise<void> {
    const { id, ...rest } = toRecord(order.snapshot);
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

  claimOverdue(cutoffs: DeadlineCutoffs, limit: number): Promise<Order[]> {
    return this.overdue(CLAIM_OVERDUE, cutoffs, limit);
  }

  listOverdue(cutoffs: DeadlineCutoffs, limit: number): Promise<Order[]> {
    return this.overdue(LIST_OVERDUE, cutoffs, limit);
  }

  private async overdue(sql: string, cutoffs: DeadlineCutoffs, limit: number): Promise<Order[]> {
    const rows = await this.sequelize.query<OrderRecord>(sql, {
      bind: [...cutoffParameters(cutoffs), limit],
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    });
    return rows.map(toOrder);
  }

  async countOverdue(cutoffs: DeadlineCutoffs): Promise<Record<ActiveStatus, number>> {
    const rows = await this.sequelize.query<{ status: ActiveStatus; orders: string }>(
      COUNT_OVERDUE,
      { bind: cutoffParameters(cutoffs), transaction: this.transaction, type: QueryTypes.SELECT },
    );
    const counts = { PENDING: 0, CONFIRMED: 0, CANCELLING: 0 };
    for (const r of rows) counts[r.status] = Number(r.orders);
    return counts;
  }

  private async claim(
    { key, requestHash }: IdempotencyKey,
    orderId: string,
  ): Promise<IdempotencyClaim> {
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
