import crypto from 'node:crypto';
import { QueryTypes, Sequelize } from 'sequelize';
import { Outbox, TransactionScopes, createMigrator, type Transactions } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Product } from '../src/domain/product';
import { Reservation } from '../src/domain/reservation';
import { INVENTORY_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { inventoryUnitOfWork } from '../src/adapters/persistence/sql-inventory-store';
import type { InventoryUnitOfWork } from '../src/application/ports';

// The same assertions on both ways the store can run the saga's steps (DATABASE_PREPARED_STATEMENTS).
describe.each([
  ['Sequelize statements', false],
  ['named prepared statements', true],
])('the inventory store on PostgreSQL, %s', (_name, preparedStatements) => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let store: Transactions<InventoryUnitOfWork>;

  beforeAll(async () => {
    const db = await createTestDatabase('inventory-store');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, INVENTORY_MIGRATIONS).up();
    store = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      inventoryUnitOfWork(sequelize, { preparedStatements }),
    );
    await store.run(async (uow) => {
      for (const [id, priceCents] of [
        ['A', 100],
        ['B', 200],
        ['C', 300],
      ] as const) {
        await uow.products.insert(Product.create({ id, name: id, priceCents, initialStock: 5 }));
      }
    });
  });
  afterAll(async () => {
    await sequelize.close();
    await drop();
  });

  const stock = async (id: string) => (await store.run((uow) => uow.products.findById(id)))!;

  /** Reserves the lines as the saga does: products locked, the reservation and its stock written together. */
  const reserve = (orderId: string, lines: Array<{ productId: string; quantity: number }>) =>
    store.run(async (uow) => {
      const products = await uow.products.findManyForUpdate(lines.map((l) => l.productId));
      const outcome = Reservation.reserve(orderId, lines, products);
      const moved = outcome.kind === 'short' ? [] : products.values();
      return uow.reservations.insert(outcome.reservation, moved);
    });

  it('refuses a second product with the same id', async () => {
    const inserted = await store.run((uow) =>
      uow.products.insert(
        Product.create({ id: 'A', name: 'again', priceCents: 1, initialStock: 1 }),
      ),
    );
    expect(inserted).toBe(false);
  });

  it('keeps a cancel that came first as a reservation of nothing, which a later reserve cannot replace', async () => {
    const orderId = crypto.randomUUID();
    const before = await stock('C');
    expect(
      await store.run((uow) =>
        uow.reservations.insert(Reservation.releasedBeforeReserving(orderId), []),
      ),
    ).toBe(true);
    expect(await reserve(orderId, [{ productId: 'C', quantity: 2 }])).toBe(false);
    expect((await stock('C')).snapshot).toEqual(before.snapshot);
    const held = await store.run((uow) => uow.reservations.findForUpdate(orderId));
    expect(held?.reservation.snapshot).toEqual({ orderId, status: 'RELEASED', lines: [] });
  });

  it('records a reservation with the stock it moved, once per order, and sums what reservations hold', async () => {
    const before = (await store.run((uow) => uow.products.allWithHeldStock())).map((h) => h.held);
    const orderId = crypto.randomUUID();
    expect(
      await reserve(orderId, [
        { productId: 'B', quantity: 1 },
        { productId: 'A', quantity: 2 },
      ]),
    ).toBe(true);
    // Again for the same order: nothing is written, neither the reservation nor any stock.
    expect(await reserve(orderId, [{ productId: 'A', quantity: 1 }])).toBe(false);
    const held = await store.run((uow) => uow.products.allWithHeldStock());
    expect(held.map((h, i) => [h.product.id, h.held.reserved - before[i]!.reserved])).toEqual([
      ['A', 2],
      ['B', 1],
      ['C', 0],
    ]);
    expect(held.every((h) => h.product.violations().length === 0)).toBe(true);
  });

  it('finds a reservation with its products, moves it and its stock together', async () => {
    const orderId = crypto.randomUUID();
    await reserve(orderId, [
      { productId: 'C', quantity: 1 },
      { productId: 'A', quantity: 1 },
    ]);
    const [a, c] = [(await stock('A')).snapshot, (await stock('C')).snapshot];
    await store.run(async (uow) => {
      const held = await uow.reservations.findForUpdate(orderId);
      expect(held!.reservation.snapshot).toEqual({
        orderId,
        status: 'RESERVED',
        lines: [
          { productId: 'C', quantity: 1, unitPriceCents: 300 },
          { productId: 'A', quantity: 1, unitPriceCents: 100 },
        ],
      });
      expect([...held!.products.keys()]).toEqual(['A', 'C']);
      held!.reservation.deduct(held!.products);
      await uow.reservations.update(held!.reservation, held!.products.values());
    });
    const after = await store.run((uow) => uow.reservations.findForUpdate(orderId));
    expect(after!.reservation.status).toBe('DEDUCTED');
    expect((await stock('A')).snapshot).toMatchObject({
      reserved: a.reserved - 1,
      sold: a.sold + 1,
    });
    expect((await stock('C')).snapshot).toMatchObject({
      reserved: c.reserved - 1,
      sold: c.sold + 1,
    });
    expect(await store.run((uow) => uow.reservations.findForUpdate(crypto.randomUUID()))).toBe(
      undefined,
    );
  });

  it('records a rejected order without moving stock', async () => {
    const orderId = crypto.randomUUID();
    const a = (await stock('A')).snapshot;
    expect(await reserve(orderId, [{ productId: 'A', quantity: 99 }])).toBe(true);
    const held = await store.run((uow) => uow.reservations.findForUpdate(orderId));
    expect(held!.reservation.snapshot).toMatchObject({ status: 'REJECTED', lines: [] });
    expect(held!.products.size).toBe(0);
    expect((await stock('A')).snapshot).toEqual(a);
  });

  it('locks ahead the reservations and every product a chunk touches, until it ends', async () => {
    const orderId = crypto.randomUUID();
    await reserve(orderId, [{ productId: 'B', quantity: 1 }]);
    /** Whether another transaction could lock the row right now. */
    const free = (sql: string, id: string) =>
      sequelize.transaction(async (transaction) => {
        const rows = await sequelize
          .query(`${sql} FOR UPDATE SKIP LOCKED`, {
            bind: [id],
            transaction,
            type: QueryTypes.SELECT,
          })
          .catch(() => []);
        return rows.length > 0;
      });
    const productFree = (id: string) => free('SELECT id FROM products WHERE id = $1', id);
    const reservationFree = (id: string) =>
      free('SELECT order_id FROM reservations WHERE order_id = $1', id);

    await store.run(async (uow) => {
      // The order's reservation holds B; the new order names C.
      await uow.reservations.lockAhead([orderId], ['C']);
      expect(await reservationFree(orderId)).toBe(false);
      expect(await productFree('B')).toBe(false);
      expect(await productFree('C')).toBe(false);
      expect(await productFree('A')).toBe(true);
    });
    expect(await productFree('B')).toBe(true);
    expect(await reservationFree(orderId)).toBe(true);
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
