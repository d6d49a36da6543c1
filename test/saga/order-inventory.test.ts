import { createEnvelope } from '@shop/contracts';
import { eventually } from '@shop/testkit';
import { TestSystem } from '../support/system';

describe('order-service and inventory-service through the saga', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // Stops at CONFIRMED: payment-service is not running in this suite.
    system = await TestSystem.start({ services: ['inventory', 'order'] });
  });
  afterAll(() => system.stop());

  it('takes an order PENDING and confirms it once the stock is reserved', async () => {
    const keyboard = await system.addProduct(10, 8_900);
    const mouse = await system.addProduct(5, 2_900);
    const created = await system.request<{ id: string; status: string }>(
      'order',
      'POST',
      '/orders',
      {
        customerId: 'alice',
        lines: [
          { productId: keyboard, quantity: 2 },
          { productId: mouse, quantity: 1 },
        ],
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('PENDING');

    const order = await system.waitForStatus(created.body.id, ['CONFIRMED']);
    expect(order.amountCents).toBe(2 * 8_900 + 2_900);
    expect(order.history.map((h) => `${h.from}->${h.to}:${h.cause}`)).toEqual([
      'null->PENDING:OrderPlaced',
      'PENDING->CONFIRMED:StockReserved',
    ]);
    expect(await system.product(keyboard)).toMatchObject({ available: 8, reserved: 2, sold: 0 });
    expect(await system.product(mouse)).toMatchObject({ available: 4, reserved: 1 });
  });

  it('cancels an order when any line is out of stock, and reserves nothing', async () => {
    const plenty = await system.addProduct(100);
    const scarce = await system.addProduct(1);
    const id = await system.placeOrder([
      { productId: plenty, quantity: 5 },
      { productId: scarce, quantity: 3 },
    ]);
    const order = await system.waitForStatus(id, ['CANCELLED']);
    expect(order.cancellationReason).toBe('insufficient stock');
    expect(order.shortLines).toEqual([{ productId: scarce, requested: 3, available: 1 }]);
    expect(await system.product(plenty)).toMatchObject({ available: 100, reserved: 0 });
    expect(await system.product(scarce)).toMatchObject({ available: 1, reserved: 0 });
  });

  it('never oversells: 50 concurrent orders for 10 units reserve exactly 10', async () => {
    const limited = await system.addProduct(10);
    const ids = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        system.placeOrder([{ productId: limited, quantity: 1 }], `buyer-${i}`),
      ),
    );
    const finals = await Promise.all(
      ids.map((id) => system.waitForStatus(id, ['CONFIRMED', 'CANCELLED'], 60_000)),
    );
    expect(finals.filter((o) => o.status === 'CONFIRMED')).toHaveLength(10);
    expect(finals.filter((o) => o.status === 'CANCELLED')).toHaveLength(40);
    expect(await system.product(limited)).toMatchObject({ available: 0, reserved: 10, sold: 0 });
    const reconciliation = await system.request<{ ok: boolean; violations: string[] }>(
      'inventory',
      'GET',
      '/reconciliation',
    );
    expect(reconciliation.body).toMatchObject({ ok: true, violations: [] });
  });

  it('changes nothing when an event is delivered twice', async () => {
    const product = await system.addProduct(10);
    const id = await system.placeOrder([{ productId: product, quantity: 3 }]);
    await system.waitForStatus(id, ['CONFIRMED']);

    const [orderCreated] = await system.query<{ value: string }>(
      'order',
      `SELECT value FROM outbox WHERE event_type = 'OrderCreated' AND message_key = $1`,
      [id],
    );
    const [stockReserved] = await system.query<{ value: string }>(
      'inventory',
      `SELECT value FROM outbox WHERE event_type = 'StockReserved' AND message_key = $1`,
      [id],
    );
    const skipsBefore = await system.counter('order', 'kafka_messages_skip_total', {
      topic: 'stock-reserved',
    });
    const inventorySkipsBefore = await system.counter('inventory', 'kafka_messages_skip_total', {
      topic: 'order-created',
    });

    await system.produce('order-created', id, orderCreated!.value);
    await system.produce('stock-reserved', id, stockReserved!.value);
    await eventually(
      async () =>
        (await system.counter('order', 'kafka_messages_skip_total', { topic: 'stock-reserved' })) >
        skipsBefore,
      30_000,
      'order-service to skip the duplicate StockReserved',
    );
    await eventually(
      async () =>
        (await system.counter('inventory', 'kafka_messages_skip_total', {
          topic: 'order-created',
        })) > inventorySkipsBefore,
      30_000,
      'inventory-service to skip the duplicate OrderCreated',
    );
    expect((await system.order(id)).history).toHaveLength(2);
    expect(await system.product(product)).toMatchObject({ available: 7, reserved: 3 });
  });

  it('releases a reservation that arrives after the customer cancelled, instead of resurrecting the order', async () => {
    const product = await system.addProduct(10);
    const id = await system.placeOrder([{ productId: product, quantity: 4 }]);
    // Cancel at once: inventory may see OrderCancelled before or after it reserved.
    const cancel = await system.request('order', 'POST', `/orders/${id}/cancel`, {
      reason: 'changed my mind',
    });
    expect(cancel.status).toBe(202);
    expect(cancel.body.status).toBe('CANCELLING');

    const order = await system.waitForStatus(id, ['CANCELLED']);
    expect(order.cancellationReason).toBe('changed my mind');
    await eventually(
      async () => (await system.product(product)).reserved === 0,
      30_000,
      'the reservation to be released',
    );
    expect(await system.product(product)).toMatchObject({ available: 10, reserved: 0, sold: 0 });

    // A StockReserved arriving now (inventory may never have reserved before the cancel, so it
    // is written here) is refused and changes nothing.
    const skips = await system.counter('order', 'kafka_messages_skip_total', {
      topic: 'stock-reserved',
    });
    const late = createEnvelope(
      'StockReserved',
      id,
      {
        orderId: id,
        reservedItems: [{ productId: product, quantity: 4, unitPriceCents: 1_000 }],
        amountCents: 4_000,
        currency: 'USD',
      },
      { correlationId: id, causationId: id },
    );
    await system.produce('stock-reserved', id, JSON.stringify(late));
    await eventually(
      async () =>
        (await system.counter('order', 'kafka_messages_skip_total', {
          topic: 'stock-reserved',
        })) > skips,
      30_000,
      'order-service to skip the late StockReserved',
    );
    expect((await system.order(id)).status).toBe('CANCELLED');
    expect(await system.product(product)).toMatchObject({ available: 10, reserved: 0 });
  });
});
