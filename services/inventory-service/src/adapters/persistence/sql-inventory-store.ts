import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { TransactionScope, UnitOfWorkFactory } from '@shop/messaging';
import type { Product } from '../../domain/product';
import type { HeldStock, InventoryUnitOfWork, ProductRepository } from '../../application/ports';
import { PreparedReservationRepository } from './prepared-reservation-repository';
import { SqlReconciliationLog } from './sql-reconciliation-log';
import { SqlReservationRepository } from './sql-reservation-repository';
import { PRODUCT_COLUMNS, toProduct, type ProductRow } from './stock-rows';

/**
 * inventory-service's unit of work in PostgreSQL, over a scope opened by an HTTP use case or the
 * consumer. With `preparedStatements` the saga's steps are one named prepared statement each
 * (issue 15); without, they are Sequelize's statements as before, so the two can be compared.
 */
export function inventoryUnitOfWork(
  sequelize: Sequelize,
  { preparedStatements }: { preparedStatements: boolean },
): UnitOfWorkFactory<InventoryUnitOfWork> {
  return ({ transaction, publish, afterCommit }: TransactionScope) => {
    const products = new SqlProductRepository(sequelize, transaction);
    return {
      products,
      reservations: preparedStatements
        ? new PreparedReservationRepository(transaction)
        : new SqlReservationRepository(sequelize, transaction, products),
      reconciliations: new SqlReconciliationLog(sequelize, transaction),
      publish,
      afterCommit,
    };
  };
}

export class SqlProductRepository implements ProductRepository {
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
