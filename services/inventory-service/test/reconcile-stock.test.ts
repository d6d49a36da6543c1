import crypto from 'node:crypto';
import { Sequelize } from 'sequelize';
import { Outbox, TransactionScopes, createMigrator } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Product } from '../src/domain/product';
import { Reservation } from '../src/domain/reservation';
import { ReconcileStock } from '../src/application/reconcile-stock';
import { INVENTORY_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { inventoryUnitOfWork } from '../src/adapters/persistence/sql-inventory-store';

describe('the stock reconciliation under traffic', () => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase('inventory-reconcile');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, INVENTORY_MIGRATIONS).up();
  });
  afterAll(async () => {
    await sequelize.close();
    await drop();
  });

  it('never reports a violation that reservations committing meanwhile would make up', async () => {
    const store = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      inventoryUnitOfWork(sequelize, { preparedStatements: true }),
    );
    await store.run((uow) =>
      uow.products.insert(
        Product.create({ id: 'P', name: 'p', priceCents: 100, initialStock: 1_000_000 }),
      ),
    );
    let reserving = true;
    const reservations = (async () => {
      while (reserving) {
        await store.run(async (uow) => {
          const products = await uow.products.findManyForUpdate(['P']);
          const { reservation } = Reservation.reserve(
            crypto.randomUUID(),
            [{ productId: 'P', quantity: 1 }],
            products,
          );
          await uow.reservations.insert(reservation, products.values());
        });
      }
    })();
    const reconcile = new ReconcileStock(store);
    const found: string[] = [];
    for (let i = 0; i < 200; i++) found.push(...(await reconcile.run()).violations);
    reserving = false;
    await reservations;
    expect(found).toEqual([]);
  });
});
