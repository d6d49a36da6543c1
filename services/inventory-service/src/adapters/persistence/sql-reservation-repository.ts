import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Product } from '../../domain/product';
import type { Reservation } from '../../domain/reservation';
import type {
  HeldReservation,
  ProductRepository,
  ReservationRepository,
} from '../../application/ports';
import {
  LOCK_PRODUCTS,
  LOCK_RESERVATIONS,
  productsToLock,
  toReservation,
  type ReservationRow,
} from './stock-rows';

/** The saga's steps through Sequelize, a statement per row as before issue 15: the baseline. */
export class SqlReservationRepository implements ReservationRepository {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction: Transaction,
    private readonly products: ProductRepository,
  ) {}

  async findForUpdate(orderId: string): Promise<HeldReservation | undefined> {
    const [row] = await this.select<ReservationRow>(
      'SELECT order_id, status, lines FROM reservations WHERE order_id = $1 FOR UPDATE',
      [orderId],
    );
    if (!row) return undefined;
    const reservation = toReservation(row);
    const products = await this.products.findManyForUpdate(
      reservation.snapshot.lines.map((l) => l.productId),
    );
    return { reservation, products };
  }

  async insert(reservation: Reservation, products: Iterable<Product>): Promise<boolean> {
    const r = reservation.snapshot;
    const inserted = await this.select(
      `INSERT INTO reservations (order_id, status, lines) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [r.orderId, r.status, JSON.stringify(r.lines)],
    );
    if (inserted.length === 0) return false;
    await this.products.update(products);
    return true;
  }

  async update(reservation: Reservation, products: Iterable<Product>): Promise<void> {
    const r = reservation.snapshot;
    await this.products.update(products);
    await this.select(
      'UPDATE reservations SET status = $2, updated_at = now() WHERE order_id = $1 RETURNING order_id',
      [r.orderId, r.status],
    );
  }

  async lockAhead(orderIds: readonly string[], productIds: readonly string[]): Promise<void> {
    const held = await this.select<Pick<ReservationRow, 'lines'>>(LOCK_RESERVATIONS.text, [
      [...orderIds],
    ]);
    await this.select(LOCK_PRODUCTS.text, [productsToLock(productIds, held)]);
  }

  private select<T extends object>(sql: string, bind: unknown[]): Promise<T[]> {
    return this.sequelize.query<T>(sql, {
      bind,
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    });
  }
}
