import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import {
  runPrepared,
  type PreparedStatement,
  type TransactionScope,
  type UnitOfWorkFactory,
} from '@shop/messaging';
import { Payment, type PaymentState } from '../../domain/payment';
import type { PaymentRepository, PaymentUnitOfWork } from '../../application/ports';

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

const LOCK_ORDER = {
  name: 'payment-lock-order',
  text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
};
const INSERT_PAYMENT = {
  name: 'payment-insert',
  text: `INSERT INTO payments (id, order_id, customer_id, amount_cents, currency, status, gateway_reference,
                               failure_reason, refund_reference, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
};
const UPDATE_PAYMENT = {
  name: 'payment-update',
  text: 'UPDATE payments SET status = $2, refund_reference = $3, updated_at = $4 WHERE id = $1 RETURNING id',
};
/** The lock is its own statement: a statement's snapshot is taken before it could wait for one. */
const ORDER_STATE = {
  name: 'payment-order-state',
  text: `SELECT p.*, c.reason AS cancel_reason
         FROM (SELECT $1::uuid AS order_id) AS o
         LEFT JOIN payments p ON p.order_id = o.order_id
         LEFT JOIN cancelled_orders c ON c.order_id = o.order_id`,
};
const CANCEL_ORDER = {
  name: 'payment-cancel-order',
  text: `WITH cancel AS (
           INSERT INTO cancelled_orders (order_id, reason) VALUES ($1, $2) ON CONFLICT DO NOTHING
         )
         SELECT * FROM payments WHERE order_id = $1`,
};
const PAYABLE_ORDERS = {
  name: 'payment-payable-orders',
  text: `SELECT o.order_id FROM unnest($1::uuid[]) AS o(order_id)
         WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.order_id)
           AND NOT EXISTS (SELECT 1 FROM cancelled_orders c WHERE c.order_id = o.order_id)`,
};

/**
 * payment-service's unit of work in PostgreSQL, over a scope opened by an HTTP use case or the
 * consumer. With `preparedStatements` the saga's steps are one named prepared statement each
 * (issue 15); without, they are Sequelize's statements as before, so the two can be compared.
 */
export function paymentUnitOfWork(
  sequelize: Sequelize,
  { preparedStatements }: { preparedStatements: boolean },
): UnitOfWorkFactory<PaymentUnitOfWork> {
  return ({ transaction, publish, afterCommit }: TransactionScope) => {
    const run = statementsIn(sequelize, transaction, preparedStatements);
    const payments = new SqlPaymentRepository(run);
    const cancelReason = async (orderId: string) => {
      const [row] = await run<{ reason: string }>(
        {
          name: 'payment-cancel-reason',
          text: 'SELECT reason FROM cancelled_orders WHERE order_id = $1',
        },
        [orderId],
      );
      return row?.reason;
    };
    return {
      payments,
      async lockOrder(orderId) {
        await run(LOCK_ORDER, [orderId]);
      },
      async orderState(orderId) {
        if (!preparedStatements) {
          return {
            payment: await payments.findByOrder(orderId),
            cancelReason: await cancelReason(orderId),
          };
        }
        const [row] = await run<PaymentRow & { cancel_reason: string | null }>(ORDER_STATE, [
          orderId,
        ]);
        return {
          payment: row?.id ? toPayment(row) : undefined,
          cancelReason: row?.cancel_reason ?? undefined,
        };
      },
      async cancelOrder(orderId, reason) {
        if (!preparedStatements) {
          await run(
            {
              name: 'payment-add-cancel',
              text: 'INSERT INTO cancelled_orders (order_id, reason) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING order_id',
            },
            [orderId, reason],
          );
          return payments.findByOrder(orderId);
        }
        const [row] = await run<PaymentRow>(CANCEL_ORDER, [orderId, reason]);
        return row && toPayment(row);
      },
      async payableOrders(orderIds) {
        const rows = await run<{ order_id: string }>(PAYABLE_ORDERS, [orderIds]);
        return new Set(rows.map((r) => r.order_id));
      },
      publish,
      afterCommit,
    };
  };
}

type Statements = <T extends object>(
  statement: PreparedStatement,
  values: readonly unknown[],
) => Promise<T[]>;

/** Statements in the unit of work's transaction, read back as rows: prepared by name, or through Sequelize. */
function statementsIn(
  sequelize: Sequelize,
  transaction: Transaction,
  prepared: boolean,
): Statements {
  return async <T extends object>(statement: PreparedStatement, values: readonly unknown[]) =>
    prepared
      ? (await runPrepared<T>(transaction, statement, values)).rows
      : sequelize.query<T>(statement.text, {
          bind: [...values],
          transaction,
          type: QueryTypes.SELECT,
        });
}

class SqlPaymentRepository implements PaymentRepository {
  constructor(private readonly run: Statements) {}

  async findByOrder(orderId: string): Promise<Payment | undefined> {
    const [row] = await this.run<PaymentRow>(
      { name: 'payment-by-order', text: 'SELECT * FROM payments WHERE order_id = $1' },
      [orderId],
    );
    return row ? toPayment(row) : undefined;
  }

  async findById(id: string): Promise<Payment | undefined> {
    const [row] = await this.run<PaymentRow>(
      { name: 'payment-by-id', text: 'SELECT * FROM payments WHERE id = $1' },
      [id],
    );
    return row ? toPayment(row) : undefined;
  }

  async insert(payment: Payment): Promise<void> {
    const p = payment.snapshot;
    await this.run(INSERT_PAYMENT, [
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
    ]);
  }

  async update(payment: Payment): Promise<void> {
    const p = payment.snapshot;
    await this.run(UPDATE_PAYMENT, [p.id, p.status, p.refundReference ?? null, p.updatedAt]);
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
