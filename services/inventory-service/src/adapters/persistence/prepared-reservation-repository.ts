import type { Transaction } from 'sequelize';
import { runPrepared } from '@shop/messaging';
import type { Product } from '../../domain/product';
import type { Reservation } from '../../domain/reservation';
import type { HeldReservation, ReservationRepository } from '../../application/ports';
import {
  LOCK_PRODUCTS,
  LOCK_RESERVATIONS,
  PRODUCT_COLUMNS,
  productsToLock,
  stockColumns,
  toProduct,
  toReservation,
  type ProductRow,
  type ReservationRow,
} from './stock-rows';

/**
 * The reservation and its products in one round trip, locked in the order every unit of work
 * takes them: the reservation first, then its products by id.
 */
const FIND_FOR_UPDATE = {
  name: 'inventory-reservation-for-update',
  text: `WITH reservation AS (
           SELECT order_id, status, lines FROM reservations WHERE order_id = $1 FOR UPDATE
         ), held AS (
           SELECT ${PRODUCT_COLUMNS} FROM products
           WHERE id IN (SELECT line->>'productId'
                        FROM reservation, jsonb_array_elements(reservation.lines) AS line)
           ORDER BY id FOR UPDATE
         )
         SELECT order_id, status, lines,
                coalesce((SELECT json_agg(held ORDER BY id) FROM held), '[]') AS products
         FROM reservation`,
};

/** Sets the products' stock from parallel arrays that start at parameter $first. */
function setStock(first: number): string {
  const [ids, available, reserved, sold, restocked] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return `UPDATE products SET available = s.available, reserved = s.reserved, sold = s.sold,
                 restocked = s.restocked, updated_at = now()
          FROM unnest(${ids}::text[], ${available}::int[], ${reserved}::int[], ${sold}::int[],
                      ${restocked}::int[]) AS s(id, available, reserved, sold, restocked)
          WHERE products.id = s.id`;
}

/** A new reservation and the stock it moved; the stock moves only if the reservation is new. */
const INSERT = {
  name: 'inventory-reservation-insert',
  text: `WITH reservation AS (
           INSERT INTO reservations (order_id, status, lines) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (order_id) DO NOTHING RETURNING order_id
         ), stock AS (
           ${setStock(4)} AND EXISTS (SELECT 1 FROM reservation)
         )
         SELECT EXISTS (SELECT 1 FROM reservation) AS inserted`,
};

const UPDATE = {
  name: 'inventory-reservation-update',
  text: `WITH reservation AS (
           UPDATE reservations SET status = $2, updated_at = now() WHERE order_id = $1
         )
         ${setStock(3)}`,
};

/** The saga's steps as one named prepared statement each (issue 15's fewer round trips). */
export class PreparedReservationRepository implements ReservationRepository {
  constructor(private readonly transaction: Transaction) {}

  async findForUpdate(orderId: string): Promise<HeldReservation | undefined> {
    const { rows } = await runPrepared<ReservationRow & { products: ProductRow[] }>(
      this.transaction,
      FIND_FOR_UPDATE,
      [orderId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      reservation: toReservation(row),
      products: new Map(row.products.map((p) => [p.id, toProduct(p)])),
    };
  }

  async insert(reservation: Reservation, products: Iterable<Product>): Promise<boolean> {
    const r = reservation.snapshot;
    const { rows } = await runPrepared<{ inserted: boolean }>(this.transaction, INSERT, [
      r.orderId,
      r.status,
      JSON.stringify(r.lines),
      ...stockColumns(products),
    ]);
    return rows[0]!.inserted;
  }

  async update(reservation: Reservation, products: Iterable<Product>): Promise<void> {
    const r = reservation.snapshot;
    await runPrepared(this.transaction, UPDATE, [r.orderId, r.status, ...stockColumns(products)]);
  }

  async lockAhead(orderIds: readonly string[], productIds: readonly string[]): Promise<void> {
    const { rows } = await runPrepared<Pick<ReservationRow, 'lines'>>(
      this.transaction,
      LOCK_RESERVATIONS,
      [orderIds],
    );
    await runPrepared(this.transaction, LOCK_PRODUCTS, [productsToLock(productIds, rows)]);
  }
}
