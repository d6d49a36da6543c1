import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { TransactionScope, UnitOfWorkFactory } from '@shop/messaging';
import { Product, type ProductState } from '../../domain/product';
import { Reservation, type ReservationState } from '../../domain/reservation';
import type {
  HeldStock,
  InventoryUnitOfWork,
  ProductRepository,
  ReservationRepository,
} from '../../application/ports';
import { SqlReconciliationLog } from './sql-reconciliation-log';

interface ProductRow {
  id: string;
  name: string;
  price_cents: number;
  available: number;
  reserved: number;
  sold: number;
  initial_stock: number;
  restocked: number;
}

const PRODUCT_COLUMNS =
  'id, name, price_cents, available, reserved, sold, initial_stock, restocked';

/** inventory-service's unit of work in PostgreSQL, over a scope opened by an HTTP use case or the consumer. */
export function inventoryUnitOfWork(sequelize: Sequelize): UnitOfWorkFactory<InventoryUnitOfWork> {
  return ({ transaction, publish, afterCommit }: TransactionScope) => ({
    products: new SqlProductRepository(sequelize, transaction),
    reservations: new SqlReservationRepository(sequelize, transaction),
    reconciliations: new SqlReconciliationLog(sequelize, transaction),
    publish,
    afterCommit,
  });
}

class SqlProductRepository implements ProductRepository {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction: Transaction,
  ) {}

  async findById(id: string): Promise<Product | undefined> {
    const [row] = await this.select(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = $1`, [id]);
    return row ? toProduct(row) : undefined;
  }

  async findManyForUpdate(ids: readonly string[]): Promise<Map<string, Product>> {
    const rows = await this.select(
      `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, toProduct(r)]));
  }

  async findMany(ids: readonly string[]): Promise<Product[]> {
    const rows = await this.select(
      `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ANY($1::text[]) ORDER BY id`,
      [[...new Set(ids)]],
    );
    return rows.map(toProduct);
  }

  async list(limit: number, offset: number): Promise<{ products: Product[]; total: number }> {
    const rows = await this.select(
      `SELECT ${PRODUCT_COLUMNS} FROM products ORDER BY id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const [count] = await this.sequelize.query<{ n: string }>(
      'SELECT count(*) AS n FROM products',
      {
        transaction: this.transaction,
        type: QueryTypes.SELECT,
      },
    );
    return { products: rows.map(toProduct), total: Number(count?.n ?? 0) };
  }

  async allWithHeldStock(): Promise<Array<{ product: Product; held: HeldStock }>> {
    const rows = await this.sequelize.query<
      ProductRow & { held_reserved: string; held_sold: string }
    >(
      `WITH held AS (
         SELECT line->>'productId' AS product_id,
                sum(CASE WHEN status = 'RESERVED' THEN (line->>'quantity')::int ELSE 0 END) AS held_reserved,
                sum(CASE WHEN status = 'DEDUCTED' THEN (line->>'quantity')::int ELSE 0 END) AS held_sold
         FROM reservations, jsonb_array_elements(lines) AS line
         WHERE status IN ('RESERVED', 'DEDUCTED')
         GROUP BY 1
       )
       SELECT ${PRODUCT_COLUMNS}, coalesce(held_reserved, 0) AS held_reserved,
              coalesce(held_sold, 0) AS held_sold
       FROM products LEFT JOIN held ON held.product_id = products.id
       ORDER BY id`,
      { transaction: this.transaction, type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({
      product: toProduct(r),
      held: { reserved: Number(r.held_reserved), sold: Number(r.held_sold) },
    }));
  }

  async insert(product: Product): Promise<boolean> {
    const p = product.snapshot;
    const inserted = await this.select(
      `INSERT INTO products (${PRODUCT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO NOTHING RETURNING ${PRODUCT_COLUMNS}`,
      [p.id, p.name, p.priceCents, p.available, p.reserved, p.sold, p.initialStock, p.restocked],
    );
    return inserted.length > 0;
  }

  async update(products: Iterable<Product>): Promise<void> {
    for (const product of products) {
      const p = product.snapshot;
      await this.sequelize.query(
        `UPDATE products SET available = $2, reserved = $3, sold = $4, restocked = $5, updated_at = now() WHERE id = $1`,
        {
          bind: [p.id, p.available, p.reserved, p.sold, p.restocked],
          transaction: this.transaction,
        },
      );
    }
  }

  private select(sql: string, bind: unknown[]): Promise<ProductRow[]> {
    return this.sequelize.query<ProductRow>(sql, {
      bind,
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    });
  }
}

class SqlReservationRepository implements ReservationRepository {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction: Transaction,
  ) {}

  async findForUpdate(orderId: string): Promise<Reservation | undefined> {
    const [row] = await this.sequelize.query<{
      order_id: string;
      status: ReservationState['status'];
      lines: ReservationState['lines'];
    }>('SELECT order_id, status, lines FROM reservations WHERE order_id = $1 FOR UPDATE', {
      bind: [orderId],
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    });
    return row
      ? Reservation.restore({ orderId: row.order_id, status: row.status, lines: row.lines })
      : undefined;
  }

  async insert(reservation: Reservation): Promise<boolean> {
    const r = reservation.snapshot;
    const inserted = await this.sequelize.query(
      `INSERT INTO reservations (order_id, status, lines) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      {
        bind: [r.orderId, r.status, JSON.stringify(r.lines)],
        transaction: this.transaction,
        type: QueryTypes.SELECT,
      },
    );
    return inserted.length > 0;
  }

  async update(reservation: Reservation): Promise<void> {
    const r = reservation.snapshot;
    await this.sequelize.query(
      'UPDATE reservations SET status = $2, updated_at = now() WHERE order_id = $1',
      {
        bind: [r.orderId, r.status],
        transaction: this.transaction,
      },
    );
  }
}

function toProduct(row: ProductRow): Product {
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
