import crypto from 'node:crypto';
import { Sequelize } from 'sequelize';
import { Outbox, TransactionScopes, createMigrator, type Transactions } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Order } from '../src/domain/order';
import { ORDER_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { orderUnitOfWork } from '../src/adapters/persistence/sql-order-store';
import type { OrderUnitOfWork } from '../src/application/ports';

describe.each([
  { path: 'Sequelize', preparedStatements: false },
  { path: 'prepared statements', preparedStatements: true },
])('the order store on PostgreSQL ($path)', ({ preparedStatements }) => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let store: Transactions<OrderUnitOfWork>;

  beforeAll(async () => {
    const db = await createTestDatabase('order-store');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, ORDER_MIGRATIONS).up();
    store = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      orderUnitOfWork(sequelize, { preparedStatements }),
    );
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

  it('writes every change a saga step makes, and reads it back under a row lock', async () => {
    const order = place();
    await store.run((uow) => uow.orders.insert(order));
    const at = (s: number) => new Date(Date.parse(order.snapshot.createdAt) + s * 1000);
    await store.run(async (uow) => {
      const locked = (await uow.orders.findForUpdate(order.id))!;
      locked.confirm([{ productId: 'P', quantity: 2, unitPriceCents: 500 }], 1_000, 'EUR', {
        name: 'StockReserved',
        id: 'e1',
        at: at(1),
      });
      locked.paymentCompleted(crypto.randomUUID(), {
        name: 'PaymentCompleted',
        id: 'e2',
        at: at(2),
      });
      locked.paymentFailed('declined', { name: 'PaymentFailed', id: 'e3', at: at(3) });
      locked.reject([{ productId: 'P', requested: 2, available: 0 }], {
        name: 'InsufficientStock',
        id: 'e4',
        at: at(4),
      });
      await uow.orders.update(locked);
    });
    const expected = await store.run((uow) => uow.orders.findForUpdate(order.id));
    expect(expected!.snapshot).toMatchObject({
      status: 'CANCELLED',
      pricedLines: [{ productId: 'P', quantity: 2, unitPriceCents: 500 }],
      amountCents: 1_000,
      currency: 'EUR',
      paymentId: expect.any(String),
      cancellationReason: 'payment failed: declined',
      shortLines: [{ productId: 'P', requested: 2, available: 0 }],
      updatedAt: at(4).toISOString(),
    });
    expect(expected!.snapshot.history.map((h) => h.to)).toEqual([
      'PENDING',
      'CONFIRMED',
      'CANCELLING',
      'CANCELLED',
    ]);
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

  it('lets one of two concurrent orders claim an idempotency key; the other sees who did and is not written', async () => {
    const key = crypto.randomUUID();
    const [first, second] = [place(), place()];
    const claims = await Promise.all(
      [first, second].map((order) =>
        store.run((uow) => uow.orders.insert(order, { key, requestHash: 'hash-1' })),
      ),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    const loser = claims.find((c) => !c.claimed)!;
    const winner = claims[0]!.claimed ? first! : second!;
    expect(loser).toEqual({ claimed: false, requestHash: 'hash-1', orderId: winner.id });
    const written = await store.run((uow) =>
      Promise.all([first!, second!].map((o) => uow.orders.findById(o.id))),
    );
    expect(written.filter(Boolean).map((o) => o!.id)).toEqual([winner.id]);
  });

  it('commits events with the state change, and neither when the use case fails', async () => {
    const order = place('carol');
    await expect(
      store.run(async (uow) => {
        await uow.orders.insert(order, { key: crypto.randomUUID(), requestHash: 'h' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.run((uow) => uow.orders.findById(order.id))).toBeUndefined();
  });
});
