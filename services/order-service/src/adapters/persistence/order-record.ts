import { Order, type OrderState } from '../../domain/order';

/** An `orders` row with its columns under the domain's names, as both ways of reading it give it. */
export interface OrderRecord {
  readonly id: string;
  readonly customerId: string;
  readonly status: OrderState['status'];
  readonly lines: OrderState['lines'];
  readonly paymentMethod: OrderState['paymentMethod'];
  readonly pricedLines: OrderState['pricedLines'] | null;
  readonly amountCents: number | null;
  readonly currency: string | null;
  readonly paymentId: string | null;
  readonly cancellationReason: string | null;
  readonly shortLines: OrderState['shortLines'] | null;
  readonly history: OrderState['history'];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The `orders` columns under OrderRecord's names, for queries written in SQL. */
export const ORDER_COLUMNS = `id, customer_id AS "customerId", status, lines,
  payment_method AS "paymentMethod", priced_lines AS "pricedLines", amount_cents AS "amountCents",
  currency, payment_id AS "paymentId", cancellation_reason AS "cancellationReason",
  short_lines AS "shortLines", history, created_at AS "createdAt", updated_at AS "updatedAt"`;

export function toOrder(row: OrderRecord): Order {
  return Order.restore({
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
  });
}

export function toRecord(s: OrderState): OrderRecord {
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
