import crypto from 'node:crypto';
import { causedBy, createEnvelope, type Envelope } from '@shop/contracts';
import { Payment } from '../domain/payment';
import type { PaymentGateway, PaymentMetrics, PaymentOutcome, PaymentUnitOfWork } from './ports';

/** Captures at most once per order, and gives back money that a cancel leaves behind. */
export class PaymentSaga {
  constructor(
    private readonly gateway: PaymentGateway,
    private readonly metrics: PaymentMetrics,
  ) {}

  private count(uow: PaymentUnitOfWork, outcome: PaymentOutcome): void {
    uow.afterCommit(() => this.metrics.outcome(outcome));
  }

  async onPaymentRequested(
    uow: PaymentUnitOfWork,
    event: Envelope<'PaymentRequested'>,
  ): Promise<void> {
    const { orderId, customerId, amountCents, currency, paymentMethod } = event.payload;
    await uow.lockOrder(orderId);
    if (await uow.payments.findByOrder(orderId)) return; // idempotent by order, not only by event
    const request = { id: crypto.randomUUID(), orderId, customerId, amountCents, currency };
    const now = new Date();
    if (await uow.cancelledOrders.has(orderId)) {
      await uow.payments.insert(Payment.voided(request, 'order cancelled before payment', now));
      this.count(uow, 'voided');
      return;
    }
    const result = await this.gateway.capture({
      idempotencyKey: `capture:${orderId}`,
      orderId,
      amountCents,
      currency,
      method: paymentMethod,
    });
    if (result.approved) {
      await uow.payments.insert(Payment.captured(request, result.reference, now));
      this.count(uow, 'captured');
      await uow.publish(
        createEnvelope(
          'PaymentCompleted',
          orderId,
          { orderId, customerId, paymentId: request.id, amountCents, currency },
          causedBy(event),
        ),
      );
      return;
    }
    await uow.payments.insert(Payment.declined(request, result.reason, now));
    this.count(uow, 'declined');
    await uow.publish(
      createEnvelope(
        'PaymentFailed',
        orderId,
        {
          orderId,
          customerId,
          paymentId: request.id,
          reason: result.reason,
          amountCents,
          currency,
        },
        causedBy(event),
      ),
    );
  }

  async onOrderCancelled(uow: PaymentUnitOfWork, event: Envelope<'OrderCancelled'>): Promise<void> {
    const { orderId } = event.payload;
    await uow.lockOrder(orderId);
    await uow.cancelledOrders.add(orderId, event.payload.reason);
    const payment = await uow.payments.findByOrder(orderId);
    if (payment?.status !== 'CAPTURED') return;
    const p = payment.snapshot;
    const refund = await this.gateway.refund({
      idempotencyKey: `refund:${orderId}`,
      captureReference: p.gatewayReference!,
      amountCents: p.amountCents,
    });
    payment.refund(refund.reference, new Date());
    await uow.payments.update(payment);
    this.count(uow, 'refunded');
    await uow.publish(
      createEnvelope(
        'PaymentRefunded',
        orderId,
        {
          orderId,
          customerId: p.customerId,
          paymentId: p.id,
          reason: event.payload.reason,
          amountCents: p.amountCents,
          currency: p.currency,
        },
        causedBy(event),
      ),
    );
  }
}
