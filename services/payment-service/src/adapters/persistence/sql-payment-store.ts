import { QueryTypes, type Sequelize } from 'sequelize';
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
  return (scope) => unitOfWorkIn(sequelize, scope);
}

function unitOfWorkIn(
  sequelize: Sequelize,
  { transaction, publish, afterCommit }: TransactionScope,
): PaymentUnitOfWork {
  const query = <T extends object>(sql: string, bind: unknown[]) =>
    sequelize.query<T>(sql, { bind, transaction, type: QueryTypes.SELECT });
  const payments: PaymentRepository = {
    async findByOrder(orderId) {
      const [row] = await query<PaymentRow>('SELECT * FROM payments WHERE order_id = $1', [
        orderId,
      ]);
      return row ? toPayment(row) : undefined;
    },
    async findById(id) {
      const [row] = await query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]);
      return row ? toPayment(row) : undefined;
    },
    async insert(payment) {
      const p = payment.snapshot;
      await query(
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
    },
    async update(payment) {
      const p = payment.snapshot;
      await query(
        'UPDATE payments SET status = $2, refund_reference = $3, updated_at = $4 WHERE id = $1 RETURNING id',
        [p.id, p.status, p.refundReference ?? null, p.updatedAt],
      );
    },
  };
  const cancelledOrders: CancelledOrders = {
    async add(orderId, reason) {
      await query(
        'INSERT INTO cancelled_orders (order_id, reason) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING order_id',
        [orderId, reason],
      );
    },
    async reasonFor(orderId) {
      const [row] = await query<{ reason: string }>(
        'SELECT reason FROM cancelled_orders WHERE order_id = $1',
        [orderId],
      );
      return row?.reason;
    },
  };
  return {
    payments,
    cancelledOrders,
    async lockOrder(orderId) {
      await query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [orderId]);
    },
    publish,
    afterCommit,
  };
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
