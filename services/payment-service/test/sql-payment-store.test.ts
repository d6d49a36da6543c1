import crypto from 'node:crypto';
import { QueryTypes, Sequelize } from 'sequelize';
import { createEnvelope } from '@shop/contracts';
import { Outbox, TransactionScopes, createMigrator, type Transactions } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Payment } from '../src/domain/payment';
import { PAYMENT_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { paymentUnitOfWork } from '../src/adapters/persistence/sql-payment-store';
import type { PaymentUnitOfWork } from '../src/application/ports';
import { SimulatedGateway } from '../src/adapters/gateway/simulated-gateway';
import { SqlGatewayLedger } from '../src/adapters/gateway/sql-gateway-ledger';
import { PaymentSaga } from '../src/application/payment-saga';

// The same assertions on both ways the store can run the saga's steps (DATABASE_PREPARED_STATEMENTS).
describe.each([
  ['Sequelize statements', false],
  ['named prepared statements', true],
])('the payment store and the gateway ledger on PostgreSQL, %s', (_name, preparedStatements) => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let store: Transactions<PaymentUnitOfWork>;

  beforeAll(async () => {
    const db = await createTestDatabase('payment-store');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, PAYMENT_MIGRATIONS).up();
    store = new TransactionScopes(sequelize, new Outbox(sequelize)).of(
      paymentUnitOfWork(sequelize, { preparedStatements }),
    );
  });
  afterAll(async () => {
    await sequelize.close();
    await drop();
  });

  const request = (orderId: string = crypto.randomUUID()) => ({
    id: crypto.randomUUID(),
    orderId,
    customerId: 'alice',
    amountCents: 1_250,
    currency: 'EUR',
  });
  const at = new Date('2026-01-01T00:00:00.000Z');

  it('saves a payment, reads it back by order and by id, and saves its refund', async () => {
    const payment = Payment.captured(request(), 'cap_1', at);
    await store.run((uow) => uow.payments.insert(payment));
    const byOrder = await store.run((uow) => uow.payments.findByOrder(payment.snapshot.orderId));
    expect(byOrder!.snapshot).toEqual(payment.snapshot);
    byOrder!.refund('ref_1', new Date('2026-01-01T00:01:00.000Z'));
    await store.run((uow) => uow.payments.update(byOrder!));
    const byId = await store.run((uow) => uow.payments.findById(payment.snapshot.id));
    expect(byId!.snapshot).toMatchObject({
      status: 'REFUNDED',
      gatewayReference: 'cap_1',
      refundReference: 'ref_1',
      updatedAt: '2026-01-01T00:01:00.000Z',
    });
  });

  it('keeps one payment per order', async () => {
    const first = Payment.voided(request(), 'order cancelled before payment', at);
    await store.run((uow) => uow.payments.insert(first));
    const second = Payment.captured(request(first.snapshot.orderId), 'cap_2', at);
    const refused = await store.run((uow) => uow.payments.insert(second)).catch((e: unknown) => e);
    // pg's error on the prepared path, Sequelize's wrapping of it on the other: the same SQLSTATE.
    const { code, parent } = refused as { code?: string; parent?: { code?: string } };
    expect(code ?? parent?.code).toBe('23505'); // unique_violation
  });

  it('remembers a cancelled order once, with the first reason, and reads the order in one step', async () => {
    const orderId = crypto.randomUUID();
    await store.run(async (uow) => {
      expect(await uow.orderState(orderId)).toEqual({
        payment: undefined,
        cancelReason: undefined,
      });
      expect(await uow.cancelOrder(orderId, 'changed my mind')).toBeUndefined();
      expect(await uow.cancelOrder(orderId, 'again')).toBeUndefined();
    });
    expect(await store.run((uow) => uow.orderState(orderId))).toEqual({
      payment: undefined,
      cancelReason: 'changed my mind',
    });
    const paid = Payment.captured(request(), 'cap_3', at);
    await store.run((uow) => uow.payments.insert(paid));
    const { orderId: paidOrder } = paid.snapshot;
    expect((await store.run((uow) => uow.orderState(paidOrder))).payment!.snapshot).toEqual(
      paid.snapshot,
    );
    const cancelled = await store.run((uow) => uow.cancelOrder(paidOrder, 'too late'));
    expect(cancelled!.snapshot).toEqual(paid.snapshot);
    expect(await store.run((uow) => uow.orderState(paidOrder))).toMatchObject({
      cancelReason: 'too late',
    });
  });

  it('names the orders with neither a payment nor a cancel yet', async () => {
    const [open, paid, cancelled] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await store.run(async (uow) => {
      await uow.payments.insert(Payment.captured(request(paid), 'cap_4', at));
      await uow.cancelOrder(cancelled, 'changed my mind');
    });
    expect(await store.run((uow) => uow.payableOrders([open, paid, cancelled]))).toEqual(
      new Set([open]),
    );
  });

  it('serializes two units of work for one order on its advisory lock', async () => {
    const orderId = crypto.randomUUID();
    const steps: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const firstHasLock = new Promise<void>((r) => (locked = r));
    const first = store.run(async (uow) => {
      await uow.lockOrder(orderId);
      locked();
      await held;
      steps.push('first done');
    });
    await firstHasLock;
    const second = store.run(async (uow) => {
      await uow.lockOrder(orderId);
      steps.push('second locked');
    });
    await new Promise((r) => setTimeout(r, 300));
    steps.push('released');
    release();
    await Promise.all([first, second]);
    expect(steps).toEqual(['released', 'first done', 'second locked']);
  });

  describe('the simulated gateway on gateway_ledger', () => {
    const gateway = () =>
      new SimulatedGateway(new SqlGatewayLedger(sequelize), {
        latencyMs: 0,
        declineReferences: ['tok_declined'],
        declineAboveCents: 10_000,
        transientFailureRate: 0,
        flakyReference: 'tok_flaky',
      });
    const capture = (orderId: string, reference = 'tok_visa') => ({
      idempotencyKey: `capture:${orderId}`,
      orderId,
      amountCents: 900,
      currency: 'EUR',
      method: { type: 'card', reference },
    });
    const ledger = (orderId: string) =>
      sequelize.query<{ kind: string; amount_cents: number }>(
        'SELECT kind, amount_cents FROM gateway_ledger WHERE order_id = $1 ORDER BY created_at',
        { bind: [orderId], type: QueryTypes.SELECT },
      );

    it('keeps a capture whose caller rolled back, and answers the key again with it', async () => {
      const orderId = crypto.randomUUID();
      let first: Awaited<ReturnType<SimulatedGateway['capture']>> | undefined;
      await expect(
        sequelize.transaction(async () => {
          first = await gateway().capture(capture(orderId));
          throw new Error('the caller crashed before its commit');
        }),
      ).rejects.toThrow('crashed');
      expect(first).toMatchObject({ approved: true });
      expect(await gateway().capture(capture(orderId))).toEqual(first);
      expect(await ledger(orderId)).toEqual([{ kind: 'capture', amount_cents: 900 }]);
    });

    it('records a decline once and refunds a capture once', async () => {
      const declined = crypto.randomUUID();
      expect(await gateway().capture(capture(declined, 'tok_declined'))).toEqual({
        approved: false,
        reason: 'card declined',
      });
      expect(await ledger(declined)).toEqual([{ kind: 'decline', amount_cents: 900 }]);

      const orderId = crypto.randomUUID();
      const captured = await gateway().capture(capture(orderId));
      if (!captured.approved) throw new Error('expected a capture');
      const refund = {
        idempotencyKey: `refund:${orderId}`,
        captureReference: captured.reference,
        amountCents: 900,
      };
      const [a, b] = await Promise.all([gateway().refund(refund), gateway().refund(refund)]);
      expect(a).toEqual(b);
      expect((await ledger(orderId)).map((l) => l.kind)).toEqual(['capture', 'refund']);
    });

    it('finds a capture by its key, even one whose caller rolled back, but not a decline', async () => {
      const orderId = crypto.randomUUID();
      await sequelize
        .transaction(async () => {
          await gateway().capture(capture(orderId));
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      expect(await gateway().findCapture(`capture:${orderId}`)).toEqual({
        reference: expect.stringMatching(/^cap_/),
        amountCents: 900,
        currency: 'EUR',
      });
      const declined = crypto.randomUUID();
      await gateway().capture(capture(declined, 'tok_declined'));
      expect(await gateway().findCapture(`capture:${declined}`)).toBeUndefined();
      expect(await gateway().findCapture(`capture:${crypto.randomUUID()}`)).toBeUndefined();
    });

    it('gives back, on the cancel, money captured by a handler whose transaction never committed', async () => {
      const saga = new PaymentSaga(gateway(), { now: () => at }, { outcome: () => undefined });
      /** The consumer's transaction around one handler: the same scope, with the kit's outbox. */
      const handle = (work: (uow: PaymentUnitOfWork) => Promise<void>) => store.run(work);
      const orderId = crypto.randomUUID();
      const origin = { correlationId: orderId, causationId: orderId };
      const requested = createEnvelope(
        'PaymentRequested',
        orderId,
        {
          orderId,
          customerId: 'alice',
          paymentMethod: { type: 'card', reference: 'tok_visa' },
          amountCents: 900,
          currency: 'EUR',
        },
        origin,
      );
      const cancelled = createEnvelope(
        'OrderCancelled',
        orderId,
        { orderId, customerId: 'alice', reason: { code: 'customer', detail: 'changed my mind' } },
        origin,
      );
      const kept = async () => {
        const [row] = await sequelize.query<{ kept: string }>(
          `SELECT coalesce(sum(amount_cents) FILTER (WHERE kind = 'capture'), 0)
                - coalesce(sum(amount_cents) FILTER (WHERE kind = 'refund'), 0) AS kept
           FROM gateway_ledger WHERE order_id = $1`,
          { bind: [orderId], type: QueryTypes.SELECT },
        );
        return Number(row!.kept);
      };

      await expect(
        handle(async (uow) => {
          await saga.onPaymentRequested(uow, requested);
          throw new Error('the database failed before the commit');
        }),
      ).rejects.toThrow('before the commit');
      expect(await kept()).toBe(900);

      await handle((uow) => saga.onOrderCancelled(uow, cancelled));
      await handle((uow) => saga.onPaymentRequested(uow, requested)); // the redelivery

      expect(await kept()).toBe(0);
      const payment = await store.run((uow) => uow.payments.findByOrder(orderId));
      expect(payment!.snapshot).toMatchObject({ status: 'REFUNDED', amountCents: 900 });
      const announced = await sequelize.query<{ event_type: string }>(
        'SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY id',
        { bind: [orderId], type: QueryTypes.SELECT },
      );
      expect(announced.map((e) => e.event_type)).toEqual(['PaymentRefunded']);
    });
  });

  it('gives ledger entries written before payment-0003 the currency of their payment', async () => {
    const db = await createTestDatabase('payment-migrate');
    const old = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    try {
      const migrator = createMigrator(old, PAYMENT_MIGRATIONS);
      await migrator.up({ to: 'payment-0002-simulated-gateway-ledger' });
      const paid = crypto.randomUUID();
      const orphan = crypto.randomUUID();
      await old.query(
        `INSERT INTO payments (id, order_id, customer_id, amount_cents, currency, status,
                               gateway_reference, created_at, updated_at)
         VALUES ($1, $2, 'alice', 100, 'EUR', 'CAPTURED', 'cap_a', now(), now())`,
        { bind: [crypto.randomUUID(), paid] },
      );
      // The second capture has no payment row: its handler failed before the commit.
      await old.query(
        `INSERT INTO gateway_ledger (idempotency_key, kind, order_id, amount_cents, reference)
         VALUES ($1, 'capture', $2, 100, 'cap_a'), ($3, 'capture', $4, 200, 'cap_b')`,
        { bind: [`capture:${paid}`, paid, `capture:${orphan}`, orphan] },
      );
      await migrator.up();
      const rows = await old.query<{ order_id: string; currency: string }>(
        'SELECT order_id, currency FROM gateway_ledger ORDER BY amount_cents',
        { type: QueryTypes.SELECT },
      );
      expect(rows).toEqual([
        { order_id: paid, currency: 'EUR' },
        { order_id: orphan, currency: 'EUR' },
      ]);
    } finally {
      await old.close();
      await db.drop();
    }
  });
});
