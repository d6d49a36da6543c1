import crypto from 'node:crypto';
import { ADMIN_TOKEN, TestSystem, type HttpResult } from '../support/system';

/** Every failure is problem+json with a clear detail and no stack trace. */
function expectProblem(res: HttpResult, status: number, detail?: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.contentType).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (detail) expect(String(res.body.detail)).toMatch(detail);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

describe('HTTP input', () => {
  let system: TestSystem;
  let product: string;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const countOrders = async () =>
    Number((await system.query<{ n: string }>('order', 'SELECT count(*) AS n FROM orders'))[0]!.n);

  beforeAll(async () => {
    system = await TestSystem.start({ services: ['inventory', 'order'] });
    product = await system.addProduct(100);
  });
  afterAll(() => system.stop());

  describe('POST /orders', () => {
    const line = () => ({ productId: product, quantity: 1 });

    it.each([
      ['malformed JSON', '{"customerId": "a", "lines": [', 400, /not valid JSON/],
      ['a JSON string instead of an object', '"hello"', 400, /must be a JSON object/],
      ['a prototype-poisoning key', '{"__proto__": {"admin": true}}', 400, /forbidden key/],
      [
        'wrong types',
        () => ({ customerId: 42, lines: [{ productId: product, quantity: '2' }] }),
        422,
        /schema/,
      ],
      [
        'unknown fields',
        () => ({ customerId: 'a', lines: [line()], coupon: 'FREE' }),
        422,
        /schema/,
      ],
      [
        'a zero quantity',
        () => ({ customerId: 'a', lines: [{ productId: product, quantity: 0 }] }),
        422,
        /schema/,
      ],
      [
        'a negative quantity',
        () => ({ customerId: 'a', lines: [{ productId: product, quantity: -3 }] }),
        422,
        /schema/,
      ],
      [
        'a fractional quantity',
        () => ({ customerId: 'a', lines: [{ productId: product, quantity: 1.5 }] }),
        422,
        /schema/,
      ],
      ['no lines', () => ({ customerId: 'a', lines: [] }), 422, /schema/],
      [
        'an unknown product',
        () => ({ customerId: 'a', lines: [{ productId: 'NO-SUCH-THING', quantity: 1 }] }),
        422,
        /Unknown product\(s\): NO-SUCH-THING/,
      ],
      [
        'a huge body',
        () => ({ customerId: 'a', lines: [line()], padding: 'x'.repeat(200_000) }),
        413,
        /./,
      ],
      ['deeply nested JSON', '['.repeat(20_000) + ']'.repeat(20_000), 422, /schema/],
    ] as const)('refuses %s and writes nothing', async (_, body, status, detail) => {
      const before = await countOrders();
      const payload = typeof body === 'function' ? body() : body;
      const res = await system.request('order', 'POST', '/orders', payload);
      expectProblem(res, status, detail);
      expect(await countOrders()).toBe(before);
    });

    it('lists the schema problems by field', async () => {
      const res = await system.request('order', 'POST', '/orders', {
        customerId: '',
        lines: [{ productId: product, quantity: 0 }],
      });
      expectProblem(res, 422);
      expect((res.body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(
        expect.arrayContaining(['customerId', 'lines.0.quantity']),
      );
    });

    it('refuses a body that is not JSON', async () => {
      const res = await fetch(system.url('order', '/orders'), {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    });

    it('honours Idempotency-Key: the same request gets the same order, another body is refused', async () => {
      const key = crypto.randomUUID();
      const body = { customerId: 'idem', lines: [line()] };
      const first = await system.request<{ id: string }>('order', 'POST', '/orders', body, {
        'idempotency-key': key,
      });
      const again = await system.request<{ id: string }>('order', 'POST', '/orders', body, {
        'idempotency-key': key,
      });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const other = await system.request(
        'order',
        'POST',
        '/orders',
        { ...body, lines: [{ productId: product, quantity: 2 }] },
        { 'idempotency-key': key },
      );
      expectProblem(other, 422, /already used with a different request/);
      const [row] = await system.query<{ n: string }>(
        'order',
        'SELECT count(*) AS n FROM orders WHERE customer_id = $1',
        ['idem'],
      );
      expect(Number(row?.n)).toBe(1);
    });
  });

  describe('reading and cancelling orders', () => {
    it('answers 404 for an unknown order, a malformed id and an unknown route', async () => {
      expectProblem(
        await system.request('order', 'GET', `/orders/${crypto.randomUUID()}`),
        404,
        /Order not found/,
      );
      expectProblem(await system.request('order', 'GET', '/orders/not-a-uuid'), 404);
      expectProblem(
        await system.request('order', 'POST', `/orders/${crypto.randomUUID()}/cancel`, {}),
        404,
      );
      expectProblem(await system.request('order', 'GET', '/no/such/route'), 404, /no route/);
      expectProblem(await system.request('order', 'DELETE', '/orders'), 405);
    });

    it('validates list filters and paginates', async () => {
      expectProblem(await system.request('order', 'GET', '/orders?status=LOST'), 422);
      expectProblem(await system.request('order', 'GET', '/orders?limit=1000'), 422);
      for (let i = 0; i < 3; i++)
        await system.placeOrder([{ productId: product, quantity: 1 }], 'pager');
      const page = await system.request<{ items: unknown[]; total: number }>(
        'order',
        'GET',
        '/orders?customerId=pager&limit=2',
      );
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBe(3);
    });
  });

  describe('inventory admin endpoints', () => {
    it('need the admin token', async () => {
      const body = { id: 'SNEAKY-1', name: 'x', priceCents: 1, initialStock: 1 };
      expectProblem(await system.request('inventory', 'POST', '/products', body), 401);
      expectProblem(
        await system.request('inventory', 'POST', '/products', body, {
          authorization: 'Bearer wrong',
        }),
        401,
      );
      expectProblem(
        await system.request('inventory', 'POST', `/products/${product}/restock`, { quantity: 5 }),
        401,
      );
      expect((await system.request('inventory', 'GET', '/products/SNEAKY-1')).status).toBe(404);
    });

    it('refuse bad products and restocks with a clear reason', async () => {
      expectProblem(
        await system.request(
          'inventory',
          'POST',
          '/products',
          { id: 'X', name: 'x', priceCents: -1, initialStock: 1 },
          admin,
        ),
        422,
      );
      expectProblem(
        await system.request(
          'inventory',
          'POST',
          '/products',
          { id: product, name: 'dup', priceCents: 1, initialStock: 1 },
          admin,
        ),
        409,
        /already exists/,
      );
      expectProblem(
        await system.request(
          'inventory',
          'POST',
          `/products/${product}/restock`,
          { quantity: -5 },
          admin,
        ),
        422,
      );
      expectProblem(
        await system.request('inventory', 'POST', '/products/NOPE/restock', { quantity: 5 }, admin),
        404,
        /Product not found: NOPE/,
      );
      const restocked = await system.request<{ available: number; restocked: number }>(
        'inventory',
        'POST',
        `/products/${product}/restock`,
        { quantity: 5 },
        admin,
      );
      expect(restocked.status).toBe(200);
      expect(restocked.body.restocked).toBe(5);
    });
  });

  it('serves health and metrics', async () => {
    for (const service of ['order', 'inventory'] as const) {
      expect((await system.request(service, 'GET', '/health/live')).status).toBe(200);
      const ready = await system.request(service, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ checks: { database: true }, reported: { kafka: true } });
      const metrics = await fetch(system.url(service, '/metrics')).then((r) => r.text());
      expect(metrics).toContain('kafka_messages_processed_total');
      expect(metrics).toMatch(/^kafka_connected\{[^}]*\} 1$/m);
      expect(metrics).toContain('process_resident_memory_bytes');
    }
  });
});
