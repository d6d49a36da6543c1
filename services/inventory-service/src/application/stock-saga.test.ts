import crypto from 'node:crypto';
import { createEnvelope, type Envelope } from '@shop/contracts';
import { Product } from '../domain/product';
import { Reservation } from '../domain/reservation';
import { StockSaga } from './stock-saga';
import type { InventoryUnitOfWork } from './ports';

const RESERVED_AT = new Date('2026-01-01T00:00:01.000Z');
const DEDUCTED_AT = new Date('2026-01-01T00:00:05.000Z');

/** The products and reservations in memory, and the outbox: enough for the saga's reactions. */
function inventory() {
  const products = new Map([
    ['P', Product.create({ id: 'P', name: 'p', priceCents: 500, initialStock: 3 })],
  ]);
  const reservations = new Map<string, Reservation>();
  const published: Envelope[] = [];
  const lockedProducts = (ids: readonly string[]) =>
    new Map([...products].filter(([id]) => ids.includes(id)));
  const uow = {
    products: { findManyForUpdate: async (ids: readonly string[]) => lockedProducts(ids) },
    reservations: {
      findForUpdate: async (orderId: string) => {
        const reservation = reservations.get(orderId);
        const ids = reservation?.snapshot.lines.map((l) => l.productId) ?? [];
        return reservation && { reservation, products: lockedProducts(ids) };
      },
      insert: async (reservation: Reservation) => {
        if (reservations.has(reservation.snapshot.orderId)) return false;
        reservations.set(reservation.snapshot.orderId, reservation);
        return true;
      },
      update: async () => undefined,
    },
    publish: async (...events: Envelope[]) => void published.push(...events),
    afterCommit: (callback: () => void) => callback(),
  } as unknown as InventoryUnitOfWork;
  return { uow, published, products };
}

function orderCreated(orderId: string, quantity: number): Envelope<'OrderCreated'> {
  return createEnvelope(
    'OrderCreated',
    orderId,
    {
      orderId,
      customerId: 'alice',
      lines: [{ productId: 'P', quantity }],
      paymentMethod: { type: 'card', reference: 'tok_visa' },
    },
    { correlationId: orderId, causationId: orderId },
  );
}

describe('StockSaga', () => {
  let now: Date;
  const saga = new StockSaga('USD', { now: () => now }, { reservation: () => undefined });
  const announced = (published: Envelope[]) =>
    published.map((e) => [e.eventType, e.occurredAt] as const);

  it('announces what it reserved and deducted at the clock’s time', async () => {
    const { uow, published } = inventory();
    const orderId = crypto.randomUUID();
    now = RESERVED_AT;
    await saga.onOrderCreated(uow, orderCreated(orderId, 2));
    now = DEDUCTED_AT;
    await saga.onPaymentCompleted(
      uow,
      createEnvelope(
        'PaymentCompleted',
        orderId,
        {
          orderId,
          customerId: 'alice',
          paymentId: crypto.randomUUID(),
          amountCents: 1_000,
          currency: 'USD',
        },
        { correlationId: orderId, causationId: orderId },
      ),
    );
    expect(announced(published)).toEqual([
      ['StockReserved', RESERVED_AT.toISOString()],
      ['StockDeducted', DEDUCTED_AT.toISOString()],
    ]);
  });

  it('announces insufficient stock at the clock’s time', async () => {
    const { uow, published } = inventory();
    now = RESERVED_AT;
    await saga.onOrderCreated(uow, orderCreated(crypto.randomUUID(), 4));
    expect(announced(published)).toEqual([['InsufficientStock', RESERVED_AT.toISOString()]]);
  });

  it('restores nothing for a cancel that came first, and then reserves nothing for the order', async () => {
    const { uow, published } = inventory();
    const orderId = crypto.randomUUID();
    now = RESERVED_AT;
    await saga.onOrderCancelled(uow, orderCancelled(orderId));
    await saga.onOrderCreated(uow, orderCreated(orderId, 2));
    expect(published.map((e) => [e.eventType, e.payload])).toEqual([
      ['StockRestored', { orderId, items: [] }],
    ]);
  });

  it('restores a reservation once; a second cancel is ReservationNotFound', async () => {
    const { uow, published, products } = inventory();
    const orderId = crypto.randomUUID();
    await saga.onOrderCreated(uow, orderCreated(orderId, 2));
    await saga.onOrderCancelled(uow, orderCancelled(orderId));
    await expect(saga.onOrderCancelled(uow, orderCancelled(orderId))).rejects.toThrow(
      'reservation is RELEASED',
    );
    expect(published.map((e) => [e.eventType, e.payload])).toEqual([
      ['StockReserved', expect.anything()],
      ['StockRestored', { orderId, items: [{ productId: 'P', quantity: 2 }] }],
    ]);
    expect(products.get('P')!.available).toBe(3);
  });
});

function orderCancelled(orderId: string): Envelope<'OrderCancelled'> {
  return createEnvelope(
    'OrderCancelled',
    orderId,
    { orderId, customerId: 'alice', reason: { code: 'deadline_passed', detail: 'no answer' } },
    { correlationId: orderId, causationId: orderId },
  );
}
