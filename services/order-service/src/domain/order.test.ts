import { Order, type Cause } from './order';
import {
  IllegalOrderTransitionError,
  OrderNotCancellableError,
  PaymentAlreadyRecordedError,
} from './order.errors';

let n = 0;
const cause = (name: string): Cause => ({
  name,
  id: `cause-${++n}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
});
const priced = [{ productId: 'PROD-001', quantity: 2, unitPriceCents: 8_900 }];

function placed(): Order {
  return Order.place(
    {
      id: 'order-1',
      customerId: 'alice',
      lines: [{ productId: 'PROD-001', quantity: 2 }],
      paymentMethod: { type: 'card', reference: 'tok' },
    },
    cause('OrderPlaced'),
  ).order;
}

function confirmed(): Order {
  const order = placed();
  order.confirm(priced, 17_800, 'USD', cause('StockReserved'));
  return order;
}

describe('Order', () => {
  it('starts PENDING and announces OrderCreated, merging lines of one product', () => {
    const { order, events } = Order.place(
      {
        id: 'o',
        customerId: 'c',
        lines: [
          { productId: 'A', quantity: 1 },
          { productId: 'A', quantity: 2 },
        ],
        paymentMethod: { type: 'card', reference: 't' },
      },
      cause('OrderPlaced'),
    );
    expect(order.status).toBe('PENDING');
    expect(order.snapshot.lines).toEqual([{ productId: 'A', quantity: 3 }]);
    expect(events).toEqual([{ type: 'OrderCreated' }]);
  });

  it('is confirmed by StockReserved and asks for payment of the priced total', () => {
    const order = placed();
    expect(order.confirm(priced, 17_800, 'USD', cause('StockReserved'))).toEqual([
      { type: 'PaymentRequested' },
    ]);
    expect(order.snapshot).toMatchObject({
      status: 'CONFIRMED',
      amountCents: 17_800,
      currency: 'USD',
    });
  });

  it('completes when the stock is deducted', () => {
    const order = confirmed();
    expect(order.complete(cause('StockDeducted'))).toEqual([{ type: 'OrderCompleted' }]);
    expect(order.status).toBe('COMPLETED');
    expect(order.snapshot.history.map((h) => `${h.from}->${h.to} by ${h.cause}`)).toEqual([
      'null->PENDING by OrderPlaced',
      'PENDING->CONFIRMED by StockReserved',
      'CONFIRMED->COMPLETED by StockDeducted',
    ]);
  });

  it('is cancelled by InsufficientStock, keeping the short lines', () => {
    const order = placed();
    const short = [{ productId: 'PROD-001', requested: 2, available: 1 }];
    expect(order.reject(short, cause('InsufficientStock'))).toEqual([{ type: 'OrderCancelled' }]);
    expect(order.snapshot).toMatchObject({
      status: 'CANCELLED',
      shortLines: short,
      cancellationReason: 'insufficient stock',
    });
  });

  it('cancels through CANCELLING when payment fails, and ends CANCELLED once stock is restored', () => {
    const order = confirmed();
    expect(order.paymentFailed('card declined', cause('PaymentFailed'))).toEqual([
      { type: 'OrderCancelled' },
    ]);
    expect(order.snapshot).toMatchObject({
      status: 'CANCELLING',
      cancellationReason: 'payment failed: card declined',
    });
    order.stockRestored(cause('StockRestored'));
    expect(order.status).toBe('CANCELLED');
  });

  it.each([['PENDING'], ['CONFIRMED']])('lets the customer cancel a %s order', (status) => {
    const order = status === 'PENDING' ? placed() : confirmed();
    expect(order.requestCancel('changed my mind', cause('CancelRequested'))).toEqual([
      { type: 'OrderCancelled' },
    ]);
    expect(order.status).toBe('CANCELLING');
    expect(order.requestCancel('again', cause('CancelRequested'))).toEqual([]);
  });

  it('refuses to cancel a completed order', () => {
    const order = confirmed();
    order.complete(cause('StockDeducted'));
    expect(() => order.requestCancel('too late', cause('CancelRequested'))).toThrow(
      OrderNotCancellableError,
    );
  });

  it('releases a reservation that arrives after the cancel instead of resurrecting the order', () => {
    const order = placed();
    order.requestCancel('changed my mind', cause('CancelRequested'));
    expect(order.confirm(priced, 17_800, 'USD', cause('StockReserved'))).toEqual([
      { type: 'OrderCancelled' },
    ]);
    expect(order.status).toBe('CANCELLING');
  });

  it('lets a cancel that raced the payment win: a late StockDeducted waits for the restore', () => {
    const order = confirmed();
    order.requestCancel('changed my mind', cause('CancelRequested'));
    order.paymentCompleted('pay-1', cause('PaymentCompleted'));
    expect(order.complete(cause('StockDeducted'))).toEqual([]);
    expect(order.status).toBe('CANCELLING');
    order.stockRestored(cause('StockRestored'));
    expect(order.status).toBe('CANCELLED');
  });

  describe('PaymentCompleted', () => {
    it('records the payment of a CONFIRMED order without moving it', () => {
      const order = confirmed();
      expect(order.paymentCompleted('pay-1', cause('PaymentCompleted'))).toEqual([]);
      expect(order.snapshot).toMatchObject({ status: 'CONFIRMED', paymentId: 'pay-1' });
    });

    it.each([
      ['CANCELLING', () => []],
      ['CANCELLED', (o: Order) => o.stockRestored(cause('StockRestored'))],
    ])(
      'keeps the reference of a payment that lands after the cancel, for its refund (%s)',
      (status, settle) => {
        const order = confirmed();
        order.requestCancel('changed my mind', cause('CancelRequested'));
        settle(order);
        const history = order.snapshot.history;
        expect(order.paymentCompleted('pay-1', cause('PaymentCompleted'))).toEqual([]);
        expect(order.snapshot).toMatchObject({ status, paymentId: 'pay-1' });
        expect(order.snapshot.history).toBe(history);
      },
    );

    it('takes the same payment again without any change', () => {
      const order = confirmed();
      order.paymentCompleted('pay-1', cause('PaymentCompleted'));
      const before = order.snapshot;
      expect(order.paymentCompleted('pay-1', cause('PaymentCompleted'))).toEqual([]);
      expect(order.snapshot).toBe(before);
    });

    it.each([['CONFIRMED'], ['CANCELLING']])(
      'refuses a second, different payment on a %s order and keeps the first',
      (status) => {
        const order = confirmed();
        if (status === 'CANCELLING') order.requestCancel('no', cause('CancelRequested'));
        order.paymentCompleted('pay-1', cause('PaymentCompleted'));
        const before = order.snapshot;
        expect(() => order.paymentCompleted('pay-2', cause('PaymentCompleted'))).toThrow(
          PaymentAlreadyRecordedError,
        );
        expect(order.snapshot).toBe(before);
      },
    );
  });

  // Each case: how far the order got, then the event that must be refused from there.
  it.each([
    ['StockDeducted on a PENDING order', placed, (o: Order) => o.complete(cause('StockDeducted'))],
    [
      'StockRestored on a CONFIRMED order',
      () => confirmAnd(placed()),
      (o: Order) => o.stockRestored(cause('StockRestored')),
    ],
    [
      'a second StockReserved',
      () => confirmAnd(placed()),
      (o: Order) => o.confirm(priced, 1, 'USD', cause('StockReserved')),
    ],
    [
      'PaymentCompleted before the stock is reserved',
      placed,
      (o: Order) => o.paymentCompleted('p', cause('PaymentCompleted')),
    ],
  ])('refuses %s with a typed error and no change', (_, reach, act) => {
    const order = reach();
    const before = order.snapshot;
    expect(() => act(order)).toThrow(IllegalOrderTransitionError);
    expect(order.snapshot).toEqual(before);
  });

  it('ignores events for an order that is already CANCELLED only where the saga allows it', () => {
    const order = placed();
    order.reject(
      [{ productId: 'PROD-001', requested: 2, available: 0 }],
      cause('InsufficientStock'),
    );
    expect(order.paymentFailed('x', cause('PaymentFailed'))).toEqual([]);
    expect(() => order.confirm(priced, 1, 'USD', cause('StockReserved'))).toThrow(
      IllegalOrderTransitionError,
    );
    expect(() => order.stockRestored(cause('StockRestored'))).toThrow(IllegalOrderTransitionError);
    expect(order.status).toBe('CANCELLED');
  });
});

describe('Order.cancellationKind', () => {
  it('is undefined while the order is not being cancelled', () => {
    expect(placed().cancellationKind()).toBeUndefined();
    expect(confirmed().cancellationKind()).toBeUndefined();
  });

  it('names what started the cancellation', () => {
    const short = placed();
    short.reject(
      [{ productId: 'PROD-001', requested: 2, available: 0 }],
      cause('InsufficientStock'),
    );
    const declined = confirmed();
    declined.paymentFailed('card declined', cause('PaymentFailed'));
    const customer = confirmed();
    customer.requestCancel('changed my mind', cause('CancelRequested'));
    expect(short.cancellationKind()).toBe('insufficient_stock');
    expect(declined.cancellationKind()).toBe('payment_failed');
    expect(customer.cancellationKind()).toBe('customer');
  });

  it('keeps the first cause when a later event ends the cancellation', () => {
    const order = placed();
    order.requestCancel('changed my mind', cause('CancelRequested'));
    order.reject(
      [{ productId: 'PROD-001', requested: 2, available: 0 }],
      cause('InsufficientStock'),
    );
    expect(order.cancellationKind()).toBe('customer');
  });
});

describe('Order after a cancel', () => {
  it('ends a CANCELLING order on InsufficientStock without announcing the cancel twice', () => {
    const order = placed();
    order.requestCancel('changed my mind', cause('CancelRequested'));
    expect(
      order.reject(
        [{ productId: 'PROD-001', requested: 2, available: 0 }],
        cause('InsufficientStock'),
      ),
    ).toEqual([]);
    expect(order.snapshot).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'changed my mind',
    });
  });

  it('takes a customer cancel of a CANCELLED order as done', () => {
    const order = placed();
    order.reject(
      [{ productId: 'PROD-001', requested: 2, available: 0 }],
      cause('InsufficientStock'),
    );
    const before = order.snapshot;
    expect(order.requestCancel('again', cause('CancelRequested'))).toEqual([]);
    expect(order.snapshot).toBe(before);
  });

  it('absorbs a PaymentFailed that lands while CANCELLING', () => {
    const order = confirmed();
    order.requestCancel('changed my mind', cause('CancelRequested'));
    const before = order.snapshot;
    expect(order.paymentFailed('card declined', cause('PaymentFailed'))).toEqual([]);
    expect(order.snapshot).toBe(before);
  });
});

describe('Order.passDeadline', () => {
  it('cancels a PENDING or CONFIRMED order, saying which answer never came', () => {
    for (const [order, waitingFor] of [
      [placed(), 'stock'],
      [confirmed(), 'payment'],
    ] as const) {
      expect(order.passDeadline(cause('DeadlinePassed'))).toEqual([{ type: 'OrderCancelled' }]);
      expect(order.status).toBe('CANCELLING');
      expect(order.cancellationKind()).toBe('deadline_passed');
      expect(order.snapshot.cancellationReason).toBe(`no ${waitingFor} answer before the deadline`);
    }
  });

  it('announces the cancel of a CANCELLING order again, without moving when it entered CANCELLING', () => {
    const order = confirmed();
    order.requestCancel('changed my mind', cause('CancelRequested'));
    const since = order.statusSince();
    const reminder = cause('DeadlinePassed');
    expect(order.passDeadline(reminder)).toEqual([{ type: 'OrderCancelled' }]);
    expect(order.status).toBe('CANCELLING');
    expect(order.cancellationKind()).toBe('customer');
    expect(order.snapshot.history.at(-1)).toMatchObject({
      from: 'CANCELLING',
      to: 'CANCELLING',
      cause: 'DeadlinePassed',
      at: reminder.at.toISOString(),
    });
    expect(order.statusSince()).toEqual(since);
    // The restore that was waited for still ends it.
    order.stockRestored(cause('StockRestored'));
    expect(order.status).toBe('CANCELLED');
  });

  it('leaves a finished order alone', () => {
    const completed = confirmed();
    completed.complete(cause('StockDeducted'));
    const before = completed.snapshot;
    expect(completed.passDeadline(cause('DeadlinePassed'))).toEqual([]);
    expect(completed.snapshot).toBe(before);
  });
});

function confirmAnd(order: Order): Order {
  order.confirm(priced, 17_800, 'USD', cause('StockReserved'));
  return order;
}
