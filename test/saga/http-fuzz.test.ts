import crypto from 'node:crypto';
import fc from 'fast-check';
import { ADMIN_TOKEN, TestSystem, type ServiceKey } from '../support/system';
import { eventually } from '@shop/testkit';

/**
 * Property-based fuzzing of every endpoint: whatever arrives, the answer is a 4xx problem+json
 * (never a 5xx, never a stack trace) and no database changes.
 */
describe('hostile HTTP input', () => {
  let system: TestSystem;
  let product: string;
  let orderId: string;

  beforeAll(async () => {
    system = await TestSystem.start();
    product = await system.addProduct(50);
    orderId = await system.placeOrder([{ productId: product, quantity: 1 }]);
    await system.waitForStatus(orderId, ['COMPLETED']);
    // The saga's last step (the completion notice) lands after COMPLETED: wait, so the counts
    // below compare a settled system.
    await eventually(
      async () =>
        Number(
          (
            await system.query<{ n: string }>(
              'notification',
              'SELECT count(*) AS n FROM notifications WHERE order_id = $1',
              [orderId],
            )
          )[0]!.n,
        ) === 2,
      30_000,
      'the created and completed notices',
    );
  });
  afterAll(() => system.stop());

  const counts = async () => ({
    orders: (await system.query<{ n: string }>('order', 'SELECT count(*) AS n FROM orders'))[0]!.n,
    products: (
      await system.query<{ n: string }>(
        'inventory',
        'SELECT count(*) AS n, sum(restocked) AS r FROM products',
      )
    )[0]!,
    payments: (
      await system.query<{ n: string }>('payment', 'SELECT count(*) AS n FROM payments')
    )[0]!.n,
    notifications: (
      await system.query<{ n: string }>('notification', 'SELECT count(*) AS n FROM notifications')
    )[0]!.n,
  });

  const deep = fc.integer({ min: 50, max: 5_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
  const body = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    deep,
    fc.constantFrom(
      '',
      '{',
      '{"customerId":',
      'null',
      '[]',
      '{}',
      '\u0000',
      '{"__proto__":{"x":1}}',
      'x'.repeat(70_000),
    ),
    fc
      .record(
        {
          customerId: fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.constant(null)),
          lines: fc.oneof(
            fc.array(
              fc.record({
                productId: fc.string({ unit: 'grapheme' }),
                quantity: fc.oneof(fc.integer(), fc.double(), fc.string()),
              }),
              { maxLength: 5 },
            ),
            fc.jsonValue(),
          ),
          paymentMethod: fc.jsonValue(),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  const segment = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 80 }).map((s) => encodeURIComponent(s)),
    fc.constantFrom('..', '%00', '%ff', '%2e%2e%2f', crypto.randomUUID(), 'PROD-001'),
  );
  const query = fc
    .dictionary(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 50 }), {
      maxKeys: 4,
    })
    .map((d) => new URLSearchParams(d).toString());
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    '',
  );

  const targets: Array<{
    service: ServiceKey;
    method: string;
    path: (seg: string, q: string) => string;
    admin?: boolean;
  }> = [
    { service: 'order', method: 'POST', path: () => '/orders' },
    { service: 'order', method: 'GET', path: (_, q) => `/orders?${q}` },
    { service: 'order', method: 'GET', path: (s) => `/orders/${s}` },
    { service: 'order', method: 'POST', path: (s) => `/orders/${s}/cancel` },
    { service: 'inventory', method: 'GET', path: (_, q) => `/products?${q}` },
    { service: 'inventory', method: 'GET', path: (s) => `/products/${s}` },
    { service: 'inventory', method: 'POST', path: () => '/products' },
    { service: 'inventory', method: 'POST', path: () => '/products', admin: true },
    { service: 'inventory', method: 'POST', path: (s) => `/products/${s}/restock`, admin: true },
    { service: 'payment', method: 'GET', path: (_, q) => `/payments?${q}` },
    { service: 'payment', method: 'GET', path: (s) => `/payments/${s}` },
    { service: 'notification', method: 'GET', path: (_, q) => `/notifications?${q}` },
  ];

  it.each(
    targets.map((t) => [
      `${t.service} ${t.method} ${t.path(':x', 'q')}${t.admin ? ' (admin)' : ''}`,
      t,
    ]),
  )('%s answers any input with a 4xx problem, never a 5xx', async (_, target) => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        body,
        segment,
        query,
        contentType,
        fc.string({ maxLength: 300 }),
        async (b, seg, q, type, key) => {
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (target.admin) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
          if (/^[\x21-\x7e]*$/.test(key) && key) headers['idempotency-key'] = key;
          const res = await fetch(system.url(target.service, target.path(seg, q)), {
            method: target.method,
            headers,
            body: target.method === 'GET' ? undefined : b,
          });
          const text = await res.text();
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400 && res.status !== 431) {
            expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(await counts()).toEqual(before);
  });
});
