import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { TransactionScope, UnitOfWorkFactory } from '@shop/messaging';
import { Payment, type PaymentState } from '../../domain/payment';
import type {
  CancelledOrders,
  PaymentRepository,
  PaymentUnitOfWork,
} from '../../application/ports';

interface PaymentRow {
  id: string;
  order_id: string;
  customer_id: string;
  amount_cents: number;
  currency: string;
  status: PaymentState['status'];
  gateway_reference: string | null;
  failure_reason: string | null;
  refund_reference: string | null;
  created_at: Date;
  updated_at: Date;
}

/** payment-service's unit of work in PostgreSQL, over a scope opened by an HTTP use case or the consumer. */
export function paymentUnitOfWork(sequelize: Sequelize): UnitOfWorkFactory<PaymentUnitOfWork> {
  return ({ transaction, publish, afterCommit }: TransactionScope) => ({
    payments: new SqlPaymentRepository(sequelize, transaction),
    cancelledOrders: new SqlCancelledOrders(sequelize, transaction),
    async lockOrder(orderId) {
      await sequelize.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', {
        bind: [orderId],
        transaction,
        type: QueryTypes.SELECT,
      });
    },
    publish,
    afterCommit,
  });
}

/** Statements in the unit of work's transaction, read back as rows. */
function selectIn(sequelize: Sequelize, transaction: Transaction) {
  return <T extends object>(sql: string, bind: unknown[]) =>
    sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
}

class SqlPaymentRepository implements PaymentRepository {
  private readonly select: ReturnType<typeof selectIn>;

  constructor(sequelize: Sequelize, transaction: Transaction) {
    this.select = selectIn(sequelize, transaction);
  }

  async findByOrder(orderId: string): Promise<Payment | undefined> {
    const [row] = await this.select<PaymentRow>('SELECT * FROM payments WHERE order_id = $1', [
      orderId,
    ]);
    return row ? toPayment(row) : undefined;
  }

  async findById(id: string): Promise<Payment | undefined> {
    const [row] = await this.select<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]);
    return row ? toPayment(row) : undefined;
  }

  async insert(payment: Payment): Promise<void> {
    const p = payment.snapshot;
    await this.select(
      `INSERT INTO payments (id, order_id, customer_id, amount_cents, currency, status, gateway_reference,
                             failure_reason, refund_reference, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        p.id,
        p.orderId,
        p.customerId,
        p.amountCents,
        p.currency,
        p.status,
        p.gatewayReference ?? null,
        p.failureReason ?? null,
        p.refundReference ?? null,
        p.createdAt,
        p.updatedAt,
      ],
    );
  }

  async update(payment: Payment): Promise<void> {
    const p = payment.snapshot;
    await this.select(
      'UPDATE payments SET status = $2, refund_reference = $3, updated_at = $4 WHERE id = $1 RETURNING id',
      [p.id, p.status, p.refundReference ?? null, p.updatedAt],
    );
  }
}

class SqlCancelledOrders implements CancelledOrders {
  private readonly select: ReturnType<typeof selectIn>;

  constructor(sequelize: Sequelize, transaction: Transaction) {
    this.select = selectIn(sequelize, transaction);
  }

  async add(orderId: string, reason: string): Promise<void> {
    await this.select(
      'INSERT INTO cancelled_orders (order_id, reason) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING order_id',
      [orderId, reason],
    );
  }

  async reasonFor(orderId: string): Promise<string | undefined> {
    const [row] = await this.select<{ reason: string }>(
      'SELECT reason FROM cancelled_orders WHERE order_id = $1',
      [orderId],
    );
    return row?.reason;
  }
}

function toPayment(row: PaymentRow): Payment {
  return Payment.restore({
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    amountCents: row.amount_cents,
    currency: row.currency,
    status: row.status,
    gatewayReference: row.gateway_reference ?? undefined,
    failureReason: row.failure_reason ?? undefined,
    refundReference: row.refund_reference ?? undefined,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  });
}
