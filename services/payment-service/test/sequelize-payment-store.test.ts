import crypto from 'node:crypto';
import { QueryTypes, Sequelize, UniqueConstraintError } from 'sequelize';
import { Outbox, createMigrator } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Payment } from '../src/domain/payment';
import { PAYMENT_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { paymentTransactions } from '../src/adapters/persistence/sequelize-payment-store';
import { SimulatedGateway } from '../src/adapters/gateway/simulated-gateway';
import { SqlGatewayLedger } from '../src/adapters/gateway/sql-gateway-ledger';

describe('the payment store and the gateway ledger on PostgreSQL', () => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let store: ReturnType<typeof paymentTransactions>;

  beforeAll(async () => {
    const db = await createTestDatabase('payment-store');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, PAYMENT_MIGRATIONS).up();
    store = paymentTransactions(sequelize, new Outbox(sequelize), () => undefined);
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
    await expect(store.run((uow) => uow.payments.insert(second))).rejects.toBeInstanceOf(
      UniqueConstraintError,
    );
  });

  it('remembers a cancelled order once', async () => {
    const orderId = crypto.randomUUID();
    await store.run(async (uow) => {
      expect(await uow.cancelledOrders.has(orderId)).toBe(false);
      await uow.cancelledOrders.add(orderId, 'changed my mind');
      await uow.cancelledOrders.add(orderId, 'again');
    });
    expect(await store.run((uow) => uow.cancelledOrders.has(orderId))).toBe(true);
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
  });
});
