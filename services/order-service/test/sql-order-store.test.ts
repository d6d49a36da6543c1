import crypto from 'node:crypto';
import { Sequelize } from 'sequelize';
import { Outbox, TransactionScopes, createMigrator, type Transactions } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Order } from '../src/domain/order';
import { ORDER_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { orderUnitOfWork } from '../src/adapters/persistence/sql-order-store';
import type { OrderUnitOfWork } from '../src/application/ports';

describe('the order store on PostgreSQL', () => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let store: Transactions<OrderUnitOfWork>;

  beforeAll(async () => {
    const db = await createTestDatabase('order-store');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, ORDER_MIGRATIONS).up();
    store = new TransactionScopes(sequelize, new Outbox(sequelize)).of(orderUnitOfWork(sequelize));
  });
  afterAll(async () => {
    await sequelize.close();
    await drop();
  });

  const place = (customerId = 'alice') =>
    Order.place(
      {
        id: crypto.randomUUID(),
        customerId,
        lines: [{ productId: 'P', quantity: 2 }],
        paymentMethod: { type: 'card', reference: 't' },
      },
      { name: 'OrderPlaced', id: 'req', at: new Date() },
    ).order;

  it('saves an order and reads back the same state, history included', async () => {
    const order = place();
    order.confirm([{ productId: 'P', quantity: 2, unitPriceCents: 500 }], 1_000, 'USD', {
      name: 'StockReserved',
      id: 'e1',
      at: new Date(),
    });
    await store.run((uow) => uow.orders.insert(order));
    const loaded = await store.run((uow) => uow.orders.findById(order.id));
    expect(loaded!.snapshot).toEqual(order.snapshot);
  });

  it('updates under a row lock and lists by customer and status, newest first', async () => {
    const a = place('bob');
    const b = place('bob');
    await store.run(async (uow) => {
      await uow.orders.insert(a);
      await uow.orders.insert(b);
    });
    await store.run(async (uow) => {
      const locked = (await uow.orders.findForUpdate(a.id))!;
      locked.requestCancel('no', {
        name: 'CancelRequested',
        id: 'r',
        at: new Date(Date.now() + 1000),
      });
      await uow.orders.update(locked);
    });
    const cancelling = await store.run((uow) =>
      uow.orders.list({ customerId: 'bob', status: 'CANCELLING', limit: 10, offset: 0 }),
    );
    expect(cancelling.orders.map((o) => o.id)).toEqual([a.id]);
    const all = await store.run((uow) =>
      uow.orders.list({ customerId: 'bob', limit: 1, offset: 1 }),
    );
    expect(all.total).toBe(2);
    expect(all.orders).toHaveLength(1);
  });

  it('lets one of two concurrent requests claim an idempotency key; the other sees who did', async () => {
    const key = crypto.randomUUID();
    const [first, second] = [place(), place()];
    const claims = await Promise.all(
      [first, second].map((order) =>
        store.run(async (uow) => {
          const claim = await uow.idempotencyKeys.claim(key, 'hash-1', order.id);
          if (claim.claimed) await uow.orders.insert(order);
          return claim;
        }),
      ),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    const loser = claims.find((c) => !c.claimed)!;
    expect(loser).toMatchObject({ claimed: false, requestHash: 'hash-1' });
  });

  it('commits events with the state change, and neither when the use case fails', async () => {
    const order = place('carol');
    await expect(
      store.run(async (uow) => {
        await uow.orders.insert(order);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.run((uow) => uow.orders.findById(order.id))).toBeUndefined();
  });
});
