import { reconcile } from '@shop/reconciliation';
import { eventually } from '@shop/testkit';
import { TestSystem } from '../support/system';

describe('the whole saga across the four services', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start();
  });
  afterAll(() => system.stop());

  const payments = async (orderId: string) =>
    (
      await system.request<{ items: Array<{ status: string; amountCents: number }> }>(
        'payment',
        'GET',
        `/payments?orderId=${orderId}`,
      )
    ).body.items;
  const templates = (orderId: string) => system.notificationTemplates(orderId);
  const waitForTemplates = (orderId: string, expected: string[]) =>
    eventually(
      async () =>
        JSON.stringify((await templates(orderId)).sort()) === JSON.stringify([...expected].sort()),
      30_000,
      `notifications ${expected.join(', ')}`,
    );

  it('completes a paid order: stock sold, money captured once, customer told', async () => {
    const product = await system.addProduct(10, 2_500);
    const id = await system.placeOrder([{ productId: product, quantity: 3 }]);
    const order = await system.waitForStatus(id, ['COMPLETED']);
    expect(order.history.map((h) => h.to)).toEqual(['PENDING', 'CONFIRMED', 'COMPLETED']);
    expect(await system.product(product)).toMatchObject({ available: 7, reserved: 0, sold: 3 });
    expect(await payments(id)).toEqual([
      expect.objectContaining({ status: 'CAPTURED', amountCents: 7_500 }),
    ]);
    await waitForTemplates(id, ['order-received', 'order-completed']);
  });

  it('cancels an order short of stock and tells the customer', async () => {
    const product = await system.addProduct(1);
    const id = await system.placeOrder([{ productId: product, quantity: 2 }]);
    await system.waitForStatus(id, ['CANCELLED']);
    expect(await payments(id)).toEqual([]);
    await waitForTemplates(id, ['order-received', 'order-cancelled']);
  });

  it('cancels through CANCELLING when the payment is declined, and restores the stock', async () => {
    const product = await system.addProduct(10);
    const id = await system.placeOrder(
      [{ productId: product, quantity: 4 }],
      'dave',
      'tok_declined',
    );
    const order = await system.waitForStatus(id, ['CANCELLED']);
    expect(order.history.map((h) => `${h.to}:${h.cause}`)).toEqual([
      'PENDING:OrderPlaced',
      'CONFIRMED:StockReserved',
      'CANCELLING:PaymentFailed',
      'CANCELLED:StockRestored',
    ]);
    expect(order.cancellationReason).toBe('payment failed: card declined');
    expect(await system.product(product)).toMatchObject({ available: 10, reserved: 0, sold: 0 });
    expect(await payments(id)).toEqual([expect.objectContaining({ status: 'DECLINED' })]);
    await waitForTemplates(id, ['order-received', 'payment-failed', 'order-cancelled']);
  });

  it('cancels a PENDING order at the customer request and gives the stock back', async () => {
    const product = await system.addProduct(10);
    const id = await system.placeOrder([{ productId: product, quantity: 5 }]);
    await system.request('order', 'POST', `/orders/${id}/cancel`, {});
    await system.waitForStatus(id, ['CANCELLED']);
    await eventually(
      async () => (await system.product(product)).available === 10,
      30_000,
      'the stock to come back',
    );
    expect(await system.product(product)).toMatchObject({ reserved: 0, sold: 0 });
  });

  it('retries a gateway that times out twice through payment-service retry topics, and captures once', async () => {
    const product = await system.addProduct(10);
    const id = await system.placeOrder([{ productId: product, quantity: 1 }], 'erin', 'tok_flaky');
    await system.waitForStatus(id, ['COMPLETED'], 60_000);
    expect(
      await system.counter('payment', 'kafka_messages_retry_total', { topic: 'payment-requested' }),
    ).toBeGreaterThanOrEqual(2);
    const ledger = await system.query<{ kind: string }>(
      'payment',
      'SELECT kind FROM gateway_ledger WHERE order_id = $1',
      [id],
    );
    expect(ledger.map((l) => l.kind)).toEqual(['capture']);
  });

  it('brings 500 mixed orders to exactly one terminal state each, with 0 reconciliation violations', async () => {
    const plenty = await Promise.all([
      system.addProduct(2_000, 1_500),
      system.addProduct(2_000, 900),
    ]);
    const scarce = await system.addProduct(40, 5_000);
    const ids: string[] = [];
    const kinds = [
      'normal',
      'normal',
      'normal',
      'normal',
      'normal',
      'normal',
      'scarce',
      'declined',
      'cancel',
      'cancel',
    ] as const;
    let next = 0;
    const place = async () => {
      while (next < 500) {
        const i = next++;
        const kind = kinds[i % kinds.length]!;
        const lines =
          kind === 'scarce'
            ? [{ productId: scarce, quantity: 3 }]
            : [{ productId: plenty[i % 2]!, quantity: 1 + (i % 3) }];
        const id = await system.placeOrder(
          lines,
          `mix-${i % 25}`,
          kind === 'declined' ? 'tok_declined' : 'tok_visa',
        );
        ids.push(id);
        if (kind === 'cancel') await system.request('order', 'POST', `/orders/${id}/cancel`, {});
      }
    };
    await Promise.all(Array.from({ length: 16 }, place));
    await eventually(
      async () => {
        const rows = await system.query<{ n: string }>(
          'order',
          `SELECT count(*) AS n FROM orders WHERE status NOT IN ('COMPLETED','CANCELLED')`,
        );
        return Number(rows[0]!.n) === 0;
      },
      180_000,
      'every order to reach a terminal state',
    );
    // Let the trailing events (refunds, notifications, outbox rows) settle.
    await eventually(
      async () => (await reconcile(system.databaseUrls())).violations.length === 0,
      60_000,
      'a clean reconciliation',
    ).catch(() => undefined);
    const report = await reconcile(system.databaseUrls());
    expect(report.violations).toEqual([]);
    expect((report.orders.COMPLETED ?? 0) + (report.orders.CANCELLED ?? 0)).toBeGreaterThanOrEqual(
      500,
    );
    expect(report.orders.COMPLETED).toBeGreaterThan(200);
    expect(report.orders.CANCELLED).toBeGreaterThan(100);

    // The business metrics tell the same story as the databases.
    const completed = report.orders.COMPLETED ?? 0;
    const cancelled = report.orders.CANCELLED ?? 0;
    expect(await system.counter('order', 'orders_created_total', {})).toBe(completed + cancelled);
    expect(await system.counter('order', 'orders_completed_total', {})).toBe(completed);
    expect(await system.counter('order', 'orders_cancelled_total', {})).toBe(cancelled);
    expect(
      await system.counter('order', 'orders_cancelled_total', { reason: 'payment_failed' }),
    ).toBeGreaterThan(0);
    expect(
      await system.counter('order', 'orders_cancelled_total', { reason: 'insufficient_stock' }),
    ).toBeGreaterThan(0);
    expect(
      await system.counter('order', 'orders_cancelled_total', { reason: 'customer' }),
    ).toBeGreaterThan(0);
    expect(
      await system.counter('inventory', 'stock_reservations_total', { outcome: 'insufficient' }),
    ).toBeGreaterThan(0);
    expect(
      await system.counter('payment', 'payments_total', { outcome: 'declined' }),
    ).toBeGreaterThan(0);
    const inventoryMetrics = await fetch(system.url('inventory', '/metrics')).then((r) => r.text());
    expect(inventoryMetrics).toMatch(/^stock_accuracy_ratio\{service="inventory-service"\} 1$/m);
  });
});
