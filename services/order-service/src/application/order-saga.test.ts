import crypto from 'node:crypto';
import { createEnvelope, type Envelope } from '@shop/contracts';
import { Order } from '../domain/order';
import { OrderSaga } from './order-saga';
import type { OrderUnitOfWork } from './ports';

const PLACED_AT = new Date('2026-01-01T00:00:00.000Z');
const RESERVED_AT = new Date('2026-01-01T00:00:03.000Z');

/** One order's row and the outbox, in memory: enough for the saga's reactions. */
function unitOfWorkOver(order: Order) {
  const published: Envelope[] = [];
  const uow: OrderUnitOfWork = {
    orders: {
      findById: async () => order,
      findForUpdate: async () => order,
      insert: async () => ({ claimed: true }),
      update: async (updated) => void (order = updated),
      list: async () => ({ orders: [order], total: 1 }),
      claimOverdue: async () => [],
      countOverdue: async () => ({ PENDING: 0, CONFIRMED: 0, CANCELLING: 0 }),
      listOverdue: async () => [],
    },
    publish: async (...events) => void published.push(...events),
    afterCommit: (callback) => callback(),
  };
  return { uow, published, order: () => order };
}

describe('OrderSaga', () => {
  it('stamps the order’s history and the events it announces with the clock’s time', async () => {
    const { order } = Order.place(
      {
        id: crypto.randomUUID(),
        customerId: 'alice',
        lines: [{ productId: 'P', quantity: 2 }],
        paymentMethod: { type: 'card', reference: 'tok_visa' },
      },
      { name: 'OrderPlaced', id: 'request-1', at: PLACED_AT },
    );
    const store = unitOfWorkOver(order);
    const saga = new OrderSaga(
      { now: () => RESERVED_AT },
      {
        orderPlaced: () => undefined,
        orderCompleted: () => undefined,
        orderCancelled: () => undefined,
      },
    );
    const reserved = createEnvelope(
      'StockReserved',
      order.id,
      {
        orderId: order.id,
        reservedItems: [{ productId: 'P', quantity: 2, unitPriceCents: 500 }],
        amountCents: 1_000,
        currency: 'USD',
      },
      { correlationId: order.id, causationId: order.id },
    );

    await saga.onStockReserved(store.uow, reserved);

    const confirmed = store.order().snapshot;
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', updatedAt: RESERVED_AT.toISOString() });
    expect(confirmed.history.at(-1)).toEqual({
      from: 'PENDING',
      to: 'CONFIRMED',
      at: RESERVED_AT.toISOString(),
      cause: 'StockReserved',
      causeId: reserved.eventId,
    });
    expect(store.published).toEqual([
      expect.objectContaining({
        eventType: 'PaymentRequested',
        occurredAt: RESERVED_AT.toISOString(),
      }),
    ]);
  });
});
