import crypto from 'node:crypto';
import { Client } from 'pg';
import { Sequelize } from 'sequelize';
import { createEnvelope } from '@shop/contracts';
import { Outbox, TransactionScopes, createMigrator, type Transactions } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { ORDER_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { orderUnitOfWork } from '../src/adapters/persistence/sql-order-store';
import { systemClock } from '../src/application/clock';
import { OrderSaga } from '../src/application/order-saga';
import { PlaceOrder } from '../src/application/place-order';
import type { OrderUnitOfWork } from '../src/application/ports';

const noMetrics = {
  orderPlaced: () => undefined,
  orderCompleted: () => undefined,
  orderCancelled: () => undefined,
};

/**
 * What order-service's own tables are asked on its hot paths, one entry per round trip: a
 * prepared statement by its name, anything else by its text. The kit's statements (transaction,
 * outbox) are not order-service's to count here.
 */
function orderStatements(spy: jest.SpyInstance): string[] {
  return spy.mock.calls
    .splice(0)
    .map(([query]: [string | { name?: string; text: string }]) =>
      typeof query === 'string' ? query : (query.name ?? query.text),
    )
    .filter((s) => s.startsWith('order-') || /\b(orders|idempotency_keys)\b/.test(s));
}

describe('order-service on its hot paths with prepared statements', () => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let transactions: Transactions<OrderUnitOfWork>;
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    const db = await createTestDatabase('order-statements');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, ORDER_MIGRATIONS).up();
    transactions = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      orderUnitOfWork(sequelize, { preparedStatements: true }),
    );
    spy = jest.spyOn(Client.prototype, 'query');
  });
  afterAll(async () => {
    spy.mockRestore();
    await sequelize.close();
    await drop();
  });

  it('places an order, idempotency key claimed, in one prepared statement', async () => {
    const placeOrder = new PlaceOrder(
      transactions,
      { unknownProducts: async () => [] },
      systemClock,
      noMetrics,
    );
    orderStatements(spy);

    await placeOrder.execute({
      customerId: 'alice',
      lines: [{ productId: 'P', quantity: 1 }],
      paymentMethod: { type: 'card', reference: 'tok_visa' },
      idempotencyKey: crypto.randomUUID(),
      requestId: crypto.randomUUID(),
    });

    expect(orderStatements(spy)).toEqual(['order-claim-and-insert']);
  });

  it('takes each saga step in two prepared statements: load under lock, write the change', async () => {
    const placed = await new PlaceOrder(
      transactions,
      { unknownProducts: async () => [] },
      systemClock,
      noMetrics,
    ).execute({
      customerId: 'bob',
      lines: [{ productId: 'P', quantity: 1 }],
      paymentMethod: { type: 'card', reference: 'tok_visa' },
      requestId: crypto.randomUUID(),
    });
    const orderId = placed.order.id;
    const origin = { correlationId: orderId, causationId: orderId };
    const saga = new OrderSaga(systemClock, noMetrics);
    orderStatements(spy);

    await transactions.run((uow) =>
      saga.onStockReserved(
        uow,
        createEnvelope(
          'StockReserved',
          orderId,
          {
            orderId,
            reservedItems: [{ productId: 'P', quantity: 1, unitPriceCents: 500 }],
            amountCents: 500,
            currency: 'USD',
          },
          origin,
        ),
      ),
    );
    expect(orderStatements(spy)).toEqual(['order-find-for-update', 'order-update']);

    await transactions.run((uow) =>
      saga.onStockDeducted(
        uow,
        createEnvelope(
          'StockDeducted',
          orderId,
          { orderId, items: [{ productId: 'P', quantity: 1 }] },
          origin,
        ),
      ),
    );
    expect(orderStatements(spy)).toEqual(['order-find-for-update', 'order-update']);
  });
});
