import crypto from 'node:crypto';
import { Client } from 'pg';
import { EVENT_TYPE_HEADER, createEnvelope } from '@shop/contracts';
import { RELAY_LOCK_KEY } from '@shop/messaging';
import { eventually } from '@shop/testkit';
import { ConsoleClient } from './support/console-client';
import {
  CONSOLE_ADMIN_TOKEN,
  ConsoleUnderTest,
  poison,
  traceparent,
} from './support/console-under-test';

/** The steps of a timeline page, in the order shown. */
function stepsOn(page: string) {
  return [
    ...page.matchAll(
      /<tr class="step(?: failed)?"><td>[^<]*<\/td><td class="kind">([^<]+)<\/td><td class="mono">([^<]+)<\/td><td class="event-type">([^<]+)<\/td><td class="mono trace-id">([^<]+)<\/td><td>([^<]*)<\/td>/g,
    ),
  ].map(([, kind, where, eventType, traceId, note]) => ({
    kind: kind!,
    where: where!,
    eventType: eventType!,
    traceId: traceId === '—' ? undefined : traceId,
    note: note!,
  }));
}

/** The DLQ record ids a Dead letters page lists, newest first. */
const listedIds = (page: string) => [...page.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]!);

describe('the operations console on the real stack', () => {
  let stack: ConsoleUnderTest;
  let operator: ConsoleClient;
  let orderId: string;
  const trace = traceparent();

  beforeAll(async () => {
    // One replay allowed: a record that fails again after it is parked.
    stack = await ConsoleUnderTest.start({ env: { DLQ_MAX_REPLAYS: '1' } });
    operator = new ConsoleClient(stack.url);
    await operator.signIn('ada', CONSOLE_ADMIN_TOKEN);
    orderId = await stack.placeOrder(await stack.addProduct(5));
    await poison('order-created', orderId, 'not an event', { traceparent: trace.header });
  });
  afterAll(() => stack.stop());

  const deadLettersOfOrder = async () =>
    listedIds(
      (
        await operator.get(
          `/dead-letters?service=inventory-service&errorClass=InvalidEventError&q=${orderId}`,
        )
      ).body,
    );

  it('refuses a request without a session, and a form without its CSRF token', async () => {
    const anonymous = new ConsoleClient(stack.url);
    const page = await anonymous.get('/dead-letters');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/login?next=%2Fdead-letters');
    expect((await anonymous.get('/login')).status).toBe(200);
    expect((await anonymous.post('/redrive', { records: 'x/0/0', plan: 'x' })).status).toBe(401);
    expect((await anonymous.post('/login', { operator: 'eve', token: 'wrong-token' })).status).toBe(
      401,
    );

    expect((await operator.post('/redrive/plan', { record: 'x/0/0' }, false)).status).toBe(403);
    expect(
      (await operator.post('/redrive/plan', { record: 'x/0/0', _csrf: 'forged' }, false)).status,
    ).toBe(403);
    const headers = (await operator.get('/dead-letters')).headers;
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(headers.get('content-security-policy')).not.toContain('script-src');
    expect(headers.get('x-frame-options')).toBe('DENY');
  });

  it('lists the dead letter by service, error class and order, with the order beside it', async () => {
    await eventually(
      async () => (await deadLettersOfOrder()).length === 1,
      60_000,
      'the dead letter',
    );
    const [id] = await deadLettersOfOrder();
    expect(id).toMatch(/^order-created-dlq\/\d+\/\d+$/);
    expect(
      listedIds((await operator.get(`/dead-letters?errorClass=NoSuchError&q=${orderId}`)).body),
    ).toEqual([]);

    const detail = (await operator.get(`/dead-letters/${id}`)).body;
    // Where the saga has got to (CANCELLED when another suite's inventory-service in the shared
    // group took the record).
    expect(detail).toMatch(
      /<strong id="order-status">(PENDING|CONFIRMED|COMPLETED|CANCELLED)<\/strong>/,
    );
    expect(detail).toContain(`<td class="mono">${orderId}</td>`);
    expect(detail).toContain('dlq.error.class');
    expect(detail).toContain('dlq.original.topic');
    expect(detail).toContain('>not an event</pre>');
    expect(detail).toContain('Dry run: replay to inventory-service-retry-1');
  });

  it('replays after a dry run, records who did it, and parks the record when it fails again', async () => {
    const [id] = await deadLettersOfOrder();
    const plan = await operator.post('/redrive/plan', { scope: 'one', record: id! });
    expect(plan.status).toBe(200);
    expect(plan.body).toContain('Would be sent back (1)');
    expect(plan.body).toContain('inventory-service-retry-1');
    const planMac = /name="plan" value="([^"]+)"/.exec(plan.body)![1]!;

    // Nothing goes without the plan the dry run showed.
    expect((await operator.post('/redrive', { records: id!, plan: 'not-the-plan' })).status).toBe(
      400,
    );

    const done = await operator.post('/redrive', {
      records: id!,
      plan: planMac,
      scope: 'one record',
    });
    expect(done.status).toBe(303);
    const replayPage = (await operator.get(done.location!)).body;
    expect(replayPage).toContain('<td id="replay-operator">ada</td>');
    expect(replayPage).toMatch(/inventory-service-retry-1<\/td><td class="outcome ">sent<\/td>/);

    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT r.operator, rr.dlq_record, rr.outcome, rr.replay_count, rr.order_id
           FROM replays r JOIN replayed_records rr ON rr.replay_id = r.id`,
      );
      expect(rows).toEqual([
        { operator: 'ada', dlq_record: id, outcome: 'sent', replay_count: 0, order_id: orderId },
      ]);
    } finally {
      await db.end();
    }

    // Still malformed: inventory dead-letters it again, carrying replay.count 1: parked.
    await eventually(
      async () => (await deadLettersOfOrder()).length === 2,
      60_000,
      'the second failure',
    );
    const [again] = await deadLettersOfOrder();
    expect(again).not.toBe(id);
    const parked = (await operator.get(`/dead-letters/${again}`)).body;
    expect(parked).toContain('parked after 1 replay(s)');
    expect(parked).not.toContain('id="plan-one"');
    const refused = await operator.post('/redrive/plan', {
      scope: 'selected',
      record: [id!, again!],
    });
    expect(refused.body).toContain('Would be sent back (0)');
    expect(refused.body).toContain('Parked, not sent (1)');
    expect(refused.body).toContain('Sent back before, not sent again (1)');
    expect(refused.body).not.toContain('id="replay"');
  });

  it("shows the order's records across topics in time order, with trace ids", async () => {
    let page = '';
    await eventually(
      async () =>
        (page = (await operator.get(`/orders/${orderId}`)).body).includes(
          'inventory-service-retry-1/',
        ),
      60_000,
      'the replayed record on the timeline',
    );
    const topics = [...page.matchAll(/<td class="mono">([a-z0-9-]+)\/\d+\/\d+<\/td>/g)].map(
      (m) => m[1],
    );
    // The order's own record first; the poisoned one, its dead letter and its replay after it.
    expect(topics[0]).toBe('order-created');
    expect(topics.filter((t) => t === 'order-created')).toHaveLength(2);
    expect(topics).toEqual(
      expect.arrayContaining(['order-created-dlq', 'inventory-service-retry-1']),
    );
    expect(topics.indexOf('order-created-dlq')).toBeLessThan(
      topics.indexOf('inventory-service-retry-1'),
    );
    expect(page).toContain(trace.traceId);
    expect(page).toContain('<td class="event-type">OrderCreated</td>');
    expect(page).toMatch(
      /<strong id="order-status">(PENDING|CONFIRMED|COMPLETED|CANCELLED)<\/strong>/,
    );
  });

  it("follows the saga through every service's outbox, processed events, state changes and notifications", async () => {
    const id = await stack.placeOrder(await stack.addProduct(5));
    let page = '';
    await eventually(
      async () =>
        stepsOn((page = (await operator.get(`/orders/${id}`)).body)).some(
          (s) => s.eventType === 'order-completed' && s.note.startsWith('SENT'),
        ),
      60_000,
      'the completed order and its notification, sent, on the timeline',
    );
    const steps = stepsOn(page);
    const at = (kind: string, where: RegExp, eventType: string) => {
      const i = steps.findIndex(
        (s) => s.kind === kind && where.test(s.where) && s.eventType === eventType,
      );
      if (i < 0)
        throw new Error(`no ${kind} step ${eventType} at ${where}: ${JSON.stringify(steps)}`);
      return i;
    };
    const placed = at('state', /^order-service$/, 'OrderPlaced');
    const written = at('outbox', /^order-service outbox #\d+$/, 'OrderCreated');
    const published = at('event', /^order-created\/\d+\/\d+$/, 'OrderCreated');
    const reserved = at('processed', /^inventory-service-group$/, 'OrderCreated');
    const confirmed = at('state', /^order-service$/, 'StockReserved');
    const captured = at('processed', /^payment-service-group$/, 'PaymentRequested');
    const completed = at('state', /^order-service$/, 'StockDeducted');
    const told = at('notification', /^notification-service$/, 'order-completed');
    // Time order. (The order's first state change and its outbox row are one transaction, stamped
    // by order-service's clock and by PostgreSQL's: either may come first.)
    expect(Math.max(placed, written)).toBeLessThan(published);
    const saga = { published, reserved, confirmed, captured, completed, told };
    expect(Object.values(saga)).toEqual(Object.values(saga).sort((a, b) => a - b));
    expect(steps[completed]!.note).toBe('CONFIRMED → COMPLETED');
    expect(steps[written]!.note).toMatch(/^published to order-created at /);
    expect(steps[told]!.note).toMatch(/^SENT at \S+ after 1 attempt · email: Your order /);
    expect(page).not.toContain('Not shown:');
  });

  it('gives the rows and the notification of a traced event the trace id of its record', async () => {
    const traced = traceparent();
    const orderId = crypto.randomUUID();
    const event = createEnvelope(
      'OrderCreated',
      orderId,
      {
        orderId,
        customerId: 'bob',
        lines: [{ productId: await stack.addProduct(5), quantity: 1 }],
        paymentMethod: { type: 'card', reference: 'tok_visa' },
      },
      { correlationId: orderId, causationId: orderId },
    );
    await poison('order-created', orderId, JSON.stringify(event), {
      traceparent: traced.header,
      [EVENT_TYPE_HEADER]: 'OrderCreated',
    });
    let steps: ReturnType<typeof stepsOn> = [];
    await eventually(
      async () =>
        (steps = stepsOn((await operator.get(`/orders/${orderId}`)).body)).some(
          (s) => s.kind === 'notification',
        ),
      60_000,
      'the notification of the traced event',
    );
    const traceOf = (kind: string, where: string) =>
      steps.find((s) => s.kind === kind && s.where.startsWith(where))?.traceId;
    expect(traceOf('event', 'order-created/')).toBe(traced.traceId);
    expect(traceOf('processed', 'inventory-service-group')).toBe(traced.traceId);
    expect(traceOf('processed', 'notification-service-group')).toBe(traced.traceId);
    expect(traceOf('notification', 'notification-service')).toBe(traced.traceId);
  });

  it("shows an event still in order-service's outbox on the timeline and in the backlog", async () => {
    const productId = await stack.addProduct(5);
    // Holding the relay's lock keeps order-service from publishing, as a Kafka outage would.
    const relayLock = new Client({ connectionString: stack.serviceDatabases.order });
    await relayLock.connect();
    try {
      await relayLock.query('BEGIN');
      await relayLock.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK_KEY]);
      const held = await stack.placeOrder(productId);
      const timeline = (await operator.get(`/orders/${held}`)).body;
      expect(timeline).toMatch(
        /<td class="kind">outbox<\/td><td class="mono">order-service outbox #\d+<\/td><td class="event-type">OrderCreated<\/td><td class="mono trace-id">(—|[\da-f]{32})<\/td><td>not published yet \(for order-created\)<\/td>/,
      );
      await new Promise((r) => setTimeout(r, 1_100));
      const status = (await operator.get('/status')).body;
      const [, unpublished, age] =
        /<td>order-service<\/td><td class="unpublished">(\d+)<\/td><td class="oldest-age">([\d.]+) s<\/td>/.exec(
          status,
        ) ?? [];
      expect(Number(unpublished)).toBeGreaterThanOrEqual(1);
      expect(Number(age)).toBeGreaterThanOrEqual(1);
    } finally {
      await relayLock.query('ROLLBACK');
      await relayLock.end();
    }
    await eventually(
      async () =>
        /<td>order-service<\/td><td class="unpublished">0<\/td>/.test(
          (await operator.get('/status')).body,
        ),
      30_000,
      "order-service's backlog published once the relay may go on",
    );
  });

  it("lists the stuck sagas as order-service's sweep counts them, with its deadlines", async () => {
    const page = (await operator.get('/stuck')).body;
    expect(page).toContain('Deadlines: PENDING 5.0 min, CONFIRMED 15.0 min, CANCELLING 5.0 min.');
    expect(page).toContain('<p id="none-stuck">No order is past its deadline.</p>');
    expect(page).toContain('<a href="/stuck">Stuck sagas</a>');
  });

  it('shows lag per group and topic and the DLQ counts', async () => {
    // The brokers' committed offsets: a chunk still in flight commits a moment later.
    const lagRow =
      /<td>inventory-service-group<\/td><td>order-created<\/td><td>3<\/td><td>\d+<\/td>/;
    let page = '';
    await eventually(
      async () => lagRow.test((page = (await operator.get('/status')).body)),
      30_000,
      "inventory-service's lag on order-created",
    );
    expect(page).toMatch(/>order-created-dlq<\/a><\/td><td>\d+<\/td><td>\d+<\/td>/);
    expect(page).toMatch(/<td>inventory-service<\/td><td class="unpublished">\d+<\/td>/);
    expect(page).toContain(
      '<td>payment-service</td><td colspan="2" class="notice">not read: PAYMENT_SERVICE_URL is not set</td>',
    );
  });
});
