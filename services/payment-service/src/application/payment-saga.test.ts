import crypto from 'node:crypto';
import { createEnvelope, type Envelope } from '@shop/contracts';
import { Payment, type PaymentState } from '../domain/payment';
import { CapturesAhead } from './captures-ahead';
import { PaymentSaga } from './payment-saga';
import type {
  CaptureResult,
  HeldCapture,
  PaymentGateway,
  PaymentOutcome,
  PaymentUnitOfWork,
} from './ports';

/**
 * payment-service's tables in memory, with a transaction's all-or-nothing: a unit of work's
 * writes, outbox rows and after-commit callbacks count only if its work returns.
 */
class InMemoryPaymentStore {
  payments = new Map<string, PaymentState>();
  cancelled = new Map<string, string>();
  outbox: Envelope[] = [];

  async run(work: (uow: PaymentUnitOfWork) => Promise<void>): Promise<void> {
    const payments = new Map(this.payments);
    const cancelled = new Map(this.cancelled);
    const outbox = [...this.outbox];
    const committed: Array<() => void> = [];
    await work({
      payments: {
        findByOrder: async (orderId) => restore(payments.get(orderId)),
        findById: async (id) => restore([...payments.values()].find((p) => p.id === id)),
        insert: async (payment) => {
          if (payments.has(payment.snapshot.orderId)) throw new Error('unique order_id');
          payments.set(payment.snapshot.orderId, payment.snapshot);
        },
        update: async (payment) => void payments.set(payment.snapshot.orderId, payment.snapshot),
      },
      lockOrder: async () => undefined, // one unit of work at a time here
      orderState: async (orderId) => ({
        payment: restore(payments.get(orderId)),
        cancelReason: cancelled.get(orderId),
      }),
      cancelOrder: async (orderId, reason) => {
        if (!cancelled.has(orderId)) cancelled.set(orderId, reason);
        return restore(payments.get(orderId));
      },
      payableOrders: async (orderIds) =>
        new Set(orderIds.filter((id) => !payments.has(id) && !cancelled.has(id))),
      publish: async (...events) => void outbox.push(...events),
      afterCommit: (callback) => void committed.push(callback),
    });
    this.payments = payments;
    this.cancelled = cancelled;
    this.outbox = outbox;
    committed.forEach((c) => c());
  }

  published(type: string): Envelope[] {
    return this.outbox.filter((e) => e.eventType === type);
  }
}

function restore(state: PaymentState | undefined): Payment | undefined {
  return state && Payment.restore(state);
}

/** A provider whose books outlive any transaction of ours, idempotent by key. */
class FakeGateway implements PaymentGateway {
  /** Captures and declines by idempotency key. */
  readonly entries = new Map<string, CaptureResult & { amountCents: number; currency: string }>();
  readonly refunds = new Map<string, string>();
  captureCalls = 0;
  declineReason: string | undefined;
  /** Captures wait for this when set, as a slow provider's do; otherwise for one turn. */
  gate: Promise<void> | undefined;
  inFlight = 0;
  mostInFlight = 0;

  async capture(request: Parameters<PaymentGateway['capture']>[0]): Promise<CaptureResult> {
    this.captureCalls++;
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    await (this.gate ?? new Promise((r) => setImmediate(r)));
    this.inFlight--;
    if (!this.entries.has(request.idempotencyKey)) {
      const { amountCents, currency } = request;
      this.entries.set(
        request.idempotencyKey,
        this.declineReason
          ? { approved: false, reason: this.declineReason, amountCents, currency }
          : { approved: true, reference: `cap-${request.orderId}`, amountCents, currency },
      );
    }
    const {
      amountCents: _amount,
      currency: _currency,
      ...result
    } = this.entries.get(request.idempotencyKey)!;
    return result;
  }

  /** A capture that reaches the provider's books without any handler of ours seeing it succeed. */
  landCapture(orderId: string, amountCents: number): void {
    this.entries.set(`capture:${orderId}`, {
      approved: true,
      reference: `cap-${orderId}`,
      amountCents,
      currency: 'USD',
    });
  }

  async findCapture(idempotencyKey: string): Promise<HeldCapture | undefined> {
    const entry = this.entries.get(idempotencyKey);
    if (!entry?.approved) return undefined;
    return { reference: entry.reference, amountCents: entry.amountCents, currency: entry.currency };
  }

  async refund(request: Parameters<PaymentGateway['refund']>[0]) {
    if (!this.refunds.has(request.idempotencyKey))
      this.refunds.set(request.idempotencyKey, `ref-${request.captureReference}`);
    return { reference: this.refunds.get(request.idempotencyKey)! };
  }

  /** Money the provider holds for an order: captured minus refunded. */
  kept(orderId: string): number {
    const capture = this.entries.get(`capture:${orderId}`);
    if (!capture?.approved) return 0;
    return this.refunds.has(`refund:${orderId}`) ? 0 : capture.amountCents;
  }
}

const PLACED_AT = new Date('2026-01-01T00:00:00.000Z');
const CANCELLED_AT = new Date('2026-01-01T00:05:00.000Z');

const origin = (orderId: string) => ({ correlationId: orderId, causationId: orderId });

function paymentRequested(orderId: string, amountCents = 2_500): Envelope<'PaymentRequested'> {
  return createEnvelope(
    'PaymentRequested',
    orderId,
    {
      orderId,
      customerId: 'alice',
      paymentMethod: { type: 'card', reference: 'tok_visa' },
      amountCents,
      currency: 'USD',
    },
    origin(orderId),
  );
}

function orderCancelled(orderId: string): Envelope<'OrderCancelled'> {
  return createEnvelope(
    'OrderCancelled',
    orderId,
    { orderId, customerId: 'alice', reason: { code: 'customer', detail: 'changed my mind' } },
    origin(orderId),
  );
}

describe('PaymentSaga', () => {
  let store: InMemoryPaymentStore;
  let gateway: FakeGateway;
  let outcomes: PaymentOutcome[];
  let saga: PaymentSaga;
  let orderId: string;
  let now: Date;

  beforeEach(() => {
    store = new InMemoryPaymentStore();
    gateway = new FakeGateway();
    outcomes = [];
    now = PLACED_AT;
    saga = new PaymentSaga(gateway, { now: () => now }, { outcome: (o) => outcomes.push(o) });
    orderId = crypto.randomUUID();
  });

  it('captures once and announces PaymentCompleted', async () => {
    await store.run((uow) => saga.onPaymentRequested(uow, paymentRequested(orderId)));
    expect(store.payments.get(orderId)).toMatchObject({
      status: 'CAPTURED',
      amountCents: 2_500,
      createdAt: PLACED_AT.toISOString(),
    });
    expect(store.published('PaymentCompleted')).toEqual([
      expect.objectContaining({
        occurredAt: PLACED_AT.toISOString(),
        payload: expect.objectContaining({ orderId, amountCents: 2_500, currency: 'USD' }),
      }),
    ]);
    expect(outcomes).toEqual(['captured']);
  });

  it('captures at most once per order even when PaymentRequested comes again with a fresh eventId', async () => {
    const first = paymentRequested(orderId);
    const again = paymentRequested(orderId); // e.g. order-service announced it twice
    expect(again.eventId).not.toBe(first.eventId);
    await store.run((uow) => saga.onPaymentRequested(uow, first));
    await store.run((uow) => saga.onPaymentRequested(uow, again));
    expect(gateway.captureCalls).toBe(1);
    expect(store.payments.size).toBe(1);
    expect(store.published('PaymentCompleted')).toHaveLength(1);
    expect(outcomes).toEqual(['captured']);
  });

  it('records a decline and announces PaymentFailed with the reason', async () => {
    gateway.declineReason = 'card declined';
    await store.run((uow) => saga.onPaymentRequested(uow, paymentRequested(orderId)));
    expect(store.payments.get(orderId)).toMatchObject({
      status: 'DECLINED',
      failureReason: 'card declined',
    });
    expect(store.published('PaymentFailed')).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ reason: 'card declined' }) }),
    ]);
    expect(outcomes).toEqual(['declined']);
  });

  it('refunds a captured payment once when the order is cancelled, however often the cancel comes', async () => {
    await store.run((uow) => saga.onPaymentRequested(uow, paymentRequested(orderId)));
    now = CANCELLED_AT;
    await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orderId)));
    await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orderId)));
    expect(store.payments.get(orderId)).toMatchObject({
      status: 'REFUNDED',
      createdAt: PLACED_AT.toISOString(),
      updatedAt: CANCELLED_AT.toISOString(),
    });
    expect(gateway.kept(orderId)).toBe(0);
    expect(store.published('PaymentRefunded')).toEqual([
      expect.objectContaining({
        occurredAt: CANCELLED_AT.toISOString(),
        payload: expect.objectContaining({ amountCents: 2_500, reason: 'changed my mind' }),
      }),
    ]);
    expect(outcomes).toEqual(['captured', 'refunded']);
  });

  it('voids, without capturing, a payment requested after the cancel was seen', async () => {
    await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orderId)));
    await store.run((uow) => saga.onPaymentRequested(uow, paymentRequested(orderId)));
    expect(gateway.captureCalls).toBe(0);
    expect(store.payments.get(orderId)).toMatchObject({ status: 'VOIDED' });
    expect(store.outbox).toEqual([]);
    expect(outcomes).toEqual(['voided']);
  });

  it('counts an outcome only once its unit of work committed', async () => {
    await expect(
      store.run(async (uow) => {
        await saga.onPaymentRequested(uow, paymentRequested(orderId));
        throw new Error('the transaction did not commit');
      }),
    ).rejects.toThrow('did not commit');
    expect(outcomes).toEqual([]);
    expect(store.payments.size).toBe(0);
  });

  describe('a capture the gateway holds but no payment row records', () => {
    /** The capture lands at the gateway, then the handler's transaction fails before its commit. */
    async function captureThenCrash(event: Envelope<'PaymentRequested'>): Promise<void> {
      await expect(
        store.run(async (uow) => {
          await saga.onPaymentRequested(uow, event);
          throw new Error('crashed before the commit');
        }),
      ).rejects.toThrow('crashed');
      expect(gateway.kept(orderId)).toBe(2_500);
      expect(store.payments.size).toBe(0);
    }

    it('is refunded by the cancel, and the redelivered request then changes nothing', async () => {
      const requested = paymentRequested(orderId);
      await captureThenCrash(requested);

      await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orderId)));
      expect(gateway.kept(orderId)).toBe(0);
      expect(store.payments.get(orderId)).toMatchObject({
        status: 'REFUNDED',
        amountCents: 2_500,
        currency: 'USD',
        gatewayReference: `cap-${orderId}`,
        refundReference: `ref-cap-${orderId}`,
      });
      expect(store.published('PaymentRefunded')).toEqual([
        expect.objectContaining({
          causationId: expect.any(String),
          payload: expect.objectContaining({
            orderId,
            customerId: 'alice',
            amountCents: 2_500,
            currency: 'USD',
            reason: 'changed my mind',
          }),
        }),
      ]);

      await store.run((uow) => saga.onPaymentRequested(uow, requested)); // the redelivery
      await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orderId))); // re-emitted
      expect(gateway.captureCalls).toBe(1);
      expect(store.payments.get(orderId)).toMatchObject({ status: 'REFUNDED' });
      expect(store.published('PaymentRefunded')).toHaveLength(1);
      expect(store.published('PaymentCompleted')).toEqual([]);
      expect(outcomes).toEqual(['refunded']);
    });

    it('is refunded, not voided, by a request redelivered after the cancel', async () => {
      await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orderId)));
      // A capture that timed out on our side and landed at the provider after the cancel looked.
      gateway.landCapture(orderId, 2_500);

      await store.run((uow) => saga.onPaymentRequested(uow, paymentRequested(orderId)));
      expect(gateway.captureCalls).toBe(0);
      expect(gateway.kept(orderId)).toBe(0);
      expect(store.payments.get(orderId)).toMatchObject({ status: 'REFUNDED' });
      expect(store.published('PaymentRefunded')).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({ reason: 'changed my mind' }),
        }),
      ]);
      expect(outcomes).toEqual(['refunded']);
    });

    it('leaves nothing to do when the gateway holds no capture', async () => {
      await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orderId)));
      expect(store.payments.size).toBe(0);
      expect(store.outbox).toEqual([]);
    });
  });
});

describe('CapturesAhead', () => {
  let store: InMemoryPaymentStore;
  let gateway: FakeGateway;
  let ahead: CapturesAhead;
  let saga: PaymentSaga;
  let orders: string[];

  beforeEach(() => {
    store = new InMemoryPaymentStore();
    gateway = new FakeGateway();
    ahead = new CapturesAhead(gateway);
    saga = new PaymentSaga(ahead, { now: () => PLACED_AT }, { outcome: () => undefined });
    orders = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  });

  const requests = () => orders.map((o) => paymentRequested(o));
  /** The consumer's chunk: the step, then each handler, in one unit of work. */
  const chunk = (events: Envelope<'PaymentRequested'>[]) =>
    store.run(async (uow) => {
      await ahead.takeFor(uow, events);
      for (const event of events) await saga.onPaymentRequested(uow, event);
    });

  it('sends a chunk’s captures at once, and its handlers take those answers', async () => {
    await chunk(requests());
    expect(gateway.mostInFlight).toBe(3);
    expect(gateway.captureCalls).toBe(3);
    expect(orders.map((o) => store.payments.get(o)?.status)).toEqual([
      'CAPTURED',
      'CAPTURED',
      'CAPTURED',
    ]);
    expect(store.published('PaymentCompleted')).toHaveLength(3);
  });

  it('captures nothing ahead for an order already paid or cancelled', async () => {
    await store.run((uow) => saga.onPaymentRequested(uow, paymentRequested(orders[0]!)));
    await store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orders[1]!)));
    await chunk(requests());
    expect(gateway.captureCalls).toBe(2); // the first order's own, and the third's ahead
    expect(orders.map((o) => store.payments.get(o)?.status)).toEqual([
      'CAPTURED',
      'VOIDED',
      'CAPTURED',
    ]);
  });

  it('has a cancel handled while a capture ahead is in flight wait for it, and give it back', async () => {
    let land!: () => void;
    gateway.gate = new Promise((r) => (land = r));
    const taking = store.run((uow) => ahead.takeFor(uow, requests()));
    const cancelling = store.run((uow) => saga.onOrderCancelled(uow, orderCancelled(orders[0]!)));
    await new Promise((r) => setTimeout(r, 20));
    land();
    await Promise.all([taking, cancelling]);
    await store.run((uow) => saga.onPaymentRequested(uow, paymentRequested(orders[0]!)));
    expect(gateway.kept(orders[0]!)).toBe(0);
    expect(store.payments.get(orders[0]!)).toMatchObject({ status: 'REFUNDED' });
    expect(store.published('PaymentRefunded')).toHaveLength(1);
  });
});
