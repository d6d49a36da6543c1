import crypto from 'node:crypto';
import { createEnvelope } from '@shop/contracts';
import type { Notification } from '../domain/notification';
import { NotifyCustomer } from './notify-customer';
import type { NotificationRepository, NotificationUnitOfWork } from './ports';

/** The notifications table in memory, unique by event and by order and template like the SQL one. */
class InMemoryNotifications implements NotificationRepository {
  rows: Notification[] = [];
  async insert(n: Notification): Promise<boolean> {
    const same = (r: Notification) =>
      r.eventId === n.eventId || (r.orderId === n.orderId && r.template === n.template);
    if (this.rows.some(same)) return false;
    this.rows.push(n);
    return true;
  }
}

/** One transaction over the in-memory table: its rows and callbacks count only on commit. */
function unitOfWork(table: InMemoryNotifications) {
  const before = [...table.rows];
  const callbacks: Array<() => void> = [];
  const uow: NotificationUnitOfWork = {
    notifications: table,
    afterCommit: (callback) => void callbacks.push(callback),
  };
  return {
    uow,
    commit: () => callbacks.forEach((c) => c()),
    rollback: () => void (table.rows = before),
  };
}

const NOW = new Date('2026-01-01T00:00:00.000Z');
const clock = { now: () => NOW };

const origin = (orderId: string) => ({ correlationId: orderId, causationId: orderId });
const money = { amountCents: 12_345, currency: 'USD' };

function events(orderId: string) {
  const customerId = 'alice';
  return {
    OrderCreated: createEnvelope(
      'OrderCreated',
      orderId,
      {
        orderId,
        customerId,
        lines: [
          { productId: 'A', quantity: 2 },
          { productId: 'B', quantity: 1 },
        ],
        paymentMethod: { type: 'card', reference: 'tok_visa' },
      },
      origin(orderId),
    ),
    OrderCompleted: createEnvelope(
      'OrderCompleted',
      orderId,
      { orderId, customerId, ...money },
      origin(orderId),
    ),
    OrderCancelled: createEnvelope(
      'OrderCancelled',
      orderId,
      { orderId, customerId, reason: { code: 'insufficient_stock', detail: 'insufficient stock' } },
      origin(orderId),
    ),
    PaymentFailed: createEnvelope(
      'PaymentFailed',
      orderId,
      { orderId, customerId, reason: 'card declined', ...money },
      origin(orderId),
    ),
    PaymentRefunded: createEnvelope(
      'PaymentRefunded',
      orderId,
      { orderId, customerId, paymentId: crypto.randomUUID(), reason: 'changed my mind', ...money },
      origin(orderId),
    ),
  };
}

type Notified = Parameters<NotifyCustomer['execute']>[1];

describe('NotifyCustomer', () => {
  let table: InMemoryNotifications;
  let wakeUps: number;
  let notify: NotifyCustomer;
  let orderId: string;
  let short: string;

  beforeEach(() => {
    table = new InMemoryNotifications();
    wakeUps = 0;
    notify = new NotifyCustomer(clock, () => wakeUps++);
    orderId = crypto.randomUUID();
    short = orderId.slice(0, 8);
  });

  /** Applies the event in one unit of work that commits, as the consumer does. */
  async function handle(event: Notified): Promise<void> {
    const tx = unitOfWork(table);
    await notify.execute(tx.uow, event);
    tx.commit();
  }

  it.each([
    ['OrderCreated', 'order-received', `We received your order SHORT for 3 item(s).`],
    ['OrderCompleted', 'order-completed', `Your order SHORT is complete: 123.45 USD paid.`],
    ['OrderCancelled', 'order-cancelled', `Your order SHORT was cancelled (insufficient stock).`],
    [
      'PaymentFailed',
      'payment-failed',
      `The payment of 123.45 USD for order SHORT failed: card declined.`,
    ],
    ['PaymentRefunded', 'payment-refunded', `We refunded 123.45 USD for order SHORT.`],
  ] as const)('records %s as the %s e-mail, to be delivered', async (type, template, text) => {
    const event = events(orderId)[type];
    await handle(event);
    expect(table.rows).toEqual([
      expect.objectContaining({
        eventId: event.eventId,
        orderId,
        customerId: 'alice',
        template,
        channel: 'email',
        message: text.replace('SHORT', short),
        createdAt: NOW.toISOString(),
      }),
    ]);
    expect(wakeUps).toBe(1);
  });

  it('records nothing, and wakes no delivery, for an event it already recorded', async () => {
    const event = events(orderId).OrderCreated;
    await handle(event);
    await handle(event);
    expect(table.rows).toHaveLength(1);
    expect(wakeUps).toBe(1);
  });

  it('records one notification when OrderCancelled is announced again with a fresh eventId', async () => {
    // order-service re-emits it when a reservation arrives after the cancel, for inventory's sake.
    const first = events(orderId).OrderCancelled;
    const again = events(orderId).OrderCancelled;
    expect(again.eventId).not.toBe(first.eventId);
    await handle(first);
    await handle(again);
    expect(table.rows.map((n) => [n.template, n.eventId])).toEqual([
      ['order-cancelled', first.eventId],
    ]);
  });

  it('records one order each of its facts, and another order its own', async () => {
    const mine = events(orderId);
    await handle(mine.OrderCreated);
    await handle(mine.PaymentFailed);
    await handle(mine.OrderCancelled);
    await handle(events(crypto.randomUUID()).OrderCancelled);
    expect(table.rows.map((n) => n.template)).toEqual([
      'order-received',
      'payment-failed',
      'order-cancelled',
      'order-cancelled',
    ]);
  });

  it('wakes the delivery only after the commit, and never for a unit of work that rolled back', async () => {
    const event = events(orderId).OrderCompleted;
    const failed = unitOfWork(table);
    await notify.execute(failed.uow, event);
    expect(wakeUps).toBe(0); // recorded, not yet committed: nothing to deliver
    failed.rollback();
    expect(table.rows).toEqual([]);

    await handle(event); // the record comes again (retry topic or redelivery)
    expect(wakeUps).toBe(1);
    expect(table.rows).toHaveLength(1);
  });
});
