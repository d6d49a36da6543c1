import crypto from 'node:crypto';
import { Sequelize } from 'sequelize';
import { Outbox, TransactionScopes, createMigrator, type Transactions } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Product } from '../src/domain/product';
import { Reservation } from '../src/domain/reservation';
import { INVENTORY_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { inventoryUnitOfWork } from '../src/adapters/persistence/sql-inventory-store';
import type { InventoryUnitOfWork } from '../src/application/ports';

describe('the inventory store on PostgreSQL', () => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let store: Transactions<InventoryUnitOfWork>;

  beforeAll(async () => {
    const db = await createTestDatabase('inventory-store');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, INVENTORY_MIGRATIONS).up();
    store = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      inventoryUnitOfWork(sequelize),
    );
    await store.run(async (uow) => {
      await uow.products.insert(
        Product.create({ id: 'A', name: 'a', priceCents: 100, initialStock: 5 }),
      );
      await uow.products.insert(
        Product.create({ id: 'B', name: 'b', priceCents: 200, initialStock: 5 }),
      );
    });
  });
  afterAll(async () => {
    await sequelize.close();
    await drop();
  });

  it('refuses a second product with the same id', async () => {
    const inserted = await store.run((uow) =>
      uow.products.insert(
        Product.create({ id: 'A', name: 'again', priceCents: 1, initialStock: 1 }),
      ),
    );
    expect(inserted).toBe(false);
  });

  it('stores reservations and sums what they hold per product', async () => {
    const orderId = crypto.randomUUID();
    await store.run(async (uow) => {
      const products = await uow.products.findManyForUpdate(['B', 'A']);
      expect([...products.keys()]).toEqual(['A', 'B']);
      const { reservation } = Reservation.reserve(
        orderId,
        [
          { productId: 'A', quantity: 2 },
          { productId: 'B', quantity: 1 },
        ],
        products,
      );
      await uow.products.update(products.values());
      expect(await uow.reservations.insert(reservation)).toBe(true);
      expect(await uow.reservations.insert(reservation)).toBe(false);
    });
    const held = await store.run((uow) => uow.products.allWithHeldStock());
    expect(held.map((h) => [h.product.id, h.held])).toEqual([
      ['A', { reserved: 2, sold: 0 }],
      ['B', { reserved: 1, sold: 0 }],
    ]);
    const reloaded = await store.run((uow) => uow.reservations.findForUpdate(orderId));
    expect(reloaded!.snapshot.lines).toEqual([
      { productId: 'A', quantity: 2, unitPriceCents: 100 },
      { productId: 'B', quantity: 1, unitPriceCents: 200 },
    ]);
  });

  it('has the database refuse a row that breaks the stock equation', async () => {
    await expect(
      sequelize.query(`UPDATE products SET available = available + 1 WHERE id = 'A'`),
    ).rejects.toThrow(/stock_balances/);
    await expect(
      sequelize.query(`UPDATE products SET available = -1, restocked = restocked WHERE id = 'B'`),
    ).rejects.toThrow(/check constraint/);
  });
});
