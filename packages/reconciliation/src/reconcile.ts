import { Client } from 'pg';
import type { Kafka } from 'kafkajs';
import { DeadLetterStore } from '@shop/messaging';

export interface SystemDatabases {
  readonly order: string;
  readonly inventory: string;
  readonly payment: string;
  readonly notification: string;
}

export interface Violation {
  readonly check: string;
  readonly detail: string;
}

export interface ReconciliationReport {
  readonly orders: Record<string, number>;
  readonly violations: Violation[];
  readonly deadLetters: Record<string, number>;
  readonly outboxBacklog: Record<string, number>;
}

type Db = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * The system's invariants (docs/reliability.md), checked across every service's database:
 * - every order is COMPLETED or CANCELLED;
 * - per product available + reserved + sold == initial + restocked, nothing negative, and the
 *   buckets match the reservations;
 * - stock deducted at most once per order, and only for COMPLETED orders; nothing held for CANCELLED ones;
 * - money captured at most once per order, and never kept for a CANCELLED order;
 * - every outbox row published; dead letters listed.
 */
export async function reconcile(
  databases: SystemDatabases,
  kafka?: Kafka,
): Promise<ReconciliationReport> {
  const clients = Object.fromEntries(
    await Promise.all(
      Object.entries(databases).map(async ([name, url]) => {
        const client = new Client({ connectionString: url });
        await client.connect();
        return [name, client] as const;
      }),
    ),
  ) as Record<keyof SystemDatabases, Client>;
  const db =
    (name: keyof SystemDatabases): Db =>
    async (sql, params = []) =>
      (await clients[name].query(sql, params)).rows;

  try {
    const violations: Violation[] = [];
    const add = (
      check: string,
      rows: Array<Record<string, unknown>>,
      describe: (r: Record<string, unknown>) => string,
    ) => rows.forEach((r) => violations.push({ check, detail: describe(r) }));

    const orders = await db('order')(`SELECT id, status, amount_cents FROM orders`);
    const byStatus: Record<string, number> = {};
    for (const o of orders) byStatus[o.status as string] = (byStatus[o.status as string] ?? 0) + 1;
    add(
      'terminal state',
      orders.filter((o) => o.status !== 'COMPLETED' && o.status !== 'CANCELLED'),
      (o) => `order ${o.id} is still ${o.status}`,
    );

    add(
      'stock equation',
      await db('inventory')(
        `SELECT id, available, reserved, sold, initial_stock, restocked FROM products
         WHERE available < 0 OR reserved < 0 OR sold < 0 OR available + reserved + sold <> initial_stock + restocked`,
      ),
      (p) =>
        `${p.id}: available ${p.available} + reserved ${p.reserved} + sold ${p.sold} vs initial ${p.initial_stock} + restocked ${p.restocked}`,
    );
    add(
      'stock matches reservations',
      await db('inventory')(
        `WITH held AS (
           SELECT line->>'productId' AS id,
                  sum(CASE WHEN r.status = 'RESERVED' THEN (line->>'quantity')::int ELSE 0 END) AS reserved,
                  sum(CASE WHEN r.status = 'DEDUCTED' THEN (line->>'quantity')::int ELSE 0 END) AS sold
           FROM reservations r, jsonb_array_elements(r.lines) AS line GROUP BY 1)
         SELECT p.id, p.reserved, p.sold, coalesce(h.reserved, 0) AS held_reserved, coalesce(h.sold, 0) AS held_sold
         FROM products p LEFT JOIN held h ON h.id = p.id
         WHERE p.reserved <> coalesce(h.reserved, 0) OR p.sold <> coalesce(h.sold, 0)`,
      ),
      (p) =>
        `${p.id}: reserved ${p.reserved}/sold ${p.sold} but reservations hold ${p.held_reserved}/${p.held_sold}`,
    );

    const reservations = new Map(
      (await db('inventory')(`SELECT order_id, status FROM reservations`)).map((r) => [
        r.order_id as string,
        r.status as string,
      ]),
    );
    const payments = new Map(
      (await db('payment')(`SELECT order_id, status, amount_cents FROM payments`)).map((p) => [
        p.order_id as string,
        p,
      ]),
    );
    const ledger = new Map(
      (
        await db('payment')(
          `SELECT order_id, count(*) FILTER (WHERE kind = 'capture') AS captures,
                  coalesce(sum(amount_cents) FILTER (WHERE kind = 'capture'), 0)
                  - coalesce(sum(amount_cents) FILTER (WHERE kind = 'refund'), 0) AS kept
           FROM gateway_ledger GROUP BY order_id`,
        )
      ).map((l) => [l.order_id as string, { captures: Number(l.captures), kept: Number(l.kept) }]),
    );
    for (const [orderId, l] of ledger) {
      if (l.captures > 1)
        violations.push({
          check: 'captured at most once',
          detail: `order ${orderId} was captured ${l.captures} times`,
        });
    }
    for (const o of orders) {
      const id = o.id as string;
      const reservation = reservations.get(id);
      const payment = payments.get(id);
      const kept = ledger.get(id)?.kept ?? 0;
      if (o.status === 'COMPLETED') {
        if (reservation !== 'DEDUCTED')
          violations.push({
            check: 'deducted once',
            detail: `completed order ${id} has reservation ${reservation ?? 'none'}`,
          });
        if (
          payment?.status !== 'CAPTURED' ||
          Number(payment.amount_cents) !== Number(o.amount_cents)
        ) {
          violations.push({
            check: 'paid once',
            detail: `completed order ${id} has payment ${payment?.status ?? 'none'}`,
          });
        }
        if (kept !== Number(o.amount_cents))
          violations.push({
            check: 'paid once',
            detail: `completed order ${id} kept ${kept} of ${o.amount_cents}`,
          });
      }
      if (o.status === 'CANCELLED') {
        if (reservation === 'RESERVED' || reservation === 'DEDUCTED') {
          violations.push({
            check: 'no leaked reservation',
            detail: `cancelled order ${id} still has reservation ${reservation}`,
          });
        }
        if (payment?.status === 'CAPTURED')
          violations.push({
            check: 'no money kept',
            detail: `cancelled order ${id} has a captured payment`,
          });
        if (kept !== 0)
          violations.push({
            check: 'no money kept',
            detail: `cancelled order ${id} kept ${kept} cents at the gateway`,
          });
      }
    }

    const outboxBacklog: Record<string, number> = {};
    for (const name of Object.keys(databases) as Array<keyof SystemDatabases>) {
      const [row] = await db(name)(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`);
      outboxBacklog[name] = Number(row?.n ?? 0);
      if (outboxBacklog[name] > 0)
        violations.push({
          check: 'outbox published',
          detail: `${name}: ${outboxBacklog[name]} event(s) not yet published`,
        });
    }

    const deadLetters: Record<string, number> = {};
    if (kafka) {
      for (const letter of await new DeadLetterStore(kafka).list()) {
        deadLetters[letter.dlqTopic] = (deadLetters[letter.dlqTopic] ?? 0) + 1;
      }
    }
    return { orders: byStatus, violations, deadLetters, outboxBacklog };
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.end()));
  }
}
