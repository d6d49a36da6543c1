import { Product, type ProductState } from '../../domain/product';
import { Reservation, type ReservationState } from '../../domain/reservation';

export interface ProductRow {
  id: string;
  name: string;
  price_cents: number;
  available: number;
  reserved: number;
  sold: number;
  initial_stock: number;
  restocked: number;
}

export interface ReservationRow {
  order_id: string;
  status: ReservationState['status'];
  lines: ReservationState['lines'];
}

export const PRODUCT_COLUMNS =
  'id, name, price_cents, available, reserved, sold, initial_stock, restocked';

export function toProduct(row: ProductRow): Product {
  const state: ProductState = {
    id: row.id,
    name: row.name,
    priceCents: row.price_cents,
    available: row.available,
    reserved: row.reserved,
    sold: row.sold,
    initialStock: row.initial_stock,
    restocked: row.restocked,
  };
  return Product.restore(state);
}

export function toReservation(row: ReservationRow): Reservation {
  return Reservation.restore({ orderId: row.order_id, status: row.status, lines: row.lines });
}

/** The products' stock buckets as parallel arrays, for one UPDATE ... FROM unnest(...). */
export function stockColumns(
  products: Iterable<Product>,
): [string[], number[], number[], number[], number[]] {
  const columns: [string[], number[], number[], number[], number[]] = [[], [], [], [], []];
  for (const { snapshot: p } of products) {
    columns[0].push(p.id);
    columns[1].push(p.available);
    columns[2].push(p.reserved);
    columns[3].push(p.sold);
    columns[4].push(p.restocked);
  }
  return columns;
}

/**
 * What a chunk of events locks before its handlers run: the reservations, then the products,
 * each in id order, so two chunks never wait for each other in a circle. The same two
 * statements on both paths.
 */
export const LOCK_RESERVATIONS = {
  name: 'inventory-lock-reservations',
  text: `SELECT order_id, lines FROM reservations WHERE order_id = ANY($1::uuid[])
         ORDER BY order_id FOR UPDATE`,
};
export const LOCK_PRODUCTS = {
  name: 'inventory-lock-products',
  text: 'SELECT id FROM products WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
};

/** The products a chunk locks: those its new orders name and those its reservations hold. */
export function productsToLock(
  productIds: readonly string[],
  reservations: ReadonlyArray<Pick<ReservationRow, 'lines'>>,
): string[] {
  return [
    ...new Set([...productIds, ...reservations.flatMap((r) => r.lines.map((l) => l.productId))]),
  ];
}
