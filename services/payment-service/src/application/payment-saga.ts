import crypto from 'node:crypto';
import { causedBy, createEnvelope, type Envelope } from '@shop/contracts';
import { Payment, type PaymentRequest } from '../domain/payment';
import type { Clock } from './clock';
import type { PaymentGateway, PaymentMetrics, PaymentOutcome, PaymentUnitOfWork } from './ports';

/** The gateway's idempotency key for an order's one capture: a second attempt can never take money twice. */
export const captureKey = (orderId: string) => `capture:${orderId}`;
const refundKey = (orderId: string) => `refund:${orderId}`;

/** What the gateway is asked to capture for a payment request; the same request every time. */
export function captureRequestOf(
  event: Envelope<'PaymentRequested'>,
): Parameters<PaymentGateway['capture']>[0] {
  const { orderId, amountCents, currency, paymentMethod } = event.payload;
  return {
    idempotencyKey: captureKey(orderId),
    orderId,
    amountCents,
    currency,
    method: paymentMethod,
  };
}

/** Captures at most once per order, and gives back money that a cancel leaves behind. */
export class PaymentSaga {
  constructor(
    private readonly gateway: PaymentGateway,
    private readonly clock: Clock,
    private readonly metrics: PaymentMetrics,
  ) {}

  private count(uow: PaymentUnitOfWork, outcome: PaymentOutcome): void {
    uow.afterCommit(() => this.metrics.outcome(outcome));
  }

  async onPaymentRequested(
    uow: PaymentUnitOfWork,
    event: Envelope<'PaymentRequested'>,
  ): Promise<void> {
    const { orderId, customerId, amountCents, currency } = event.payload;
    await uow.lockOrder(orderId);
    const { payment, cancelReason } = await uow.orderState(orderId);
    if (payment) return; // idempotent by order, not only by event
    const request = { id: crypto.randomUUID(), orderId, customerId, amountCents, currency };
    const now = this.clock.now();
    if (cancelReason !== undefined) {
      // An earlier attempt may have captured and then failed before its commit: give that back.
      if (await this.refundHeldCapture(uow, request, cancelReason, event)) return;
      await uow.payments.insert(Payment.voided(request, 'order cancelled before payment', now));
      this.count(uow, 'voided');
      return;
    }
    const result = await this.gateway.capture(captureRequestOf(event));
    if (result.approved) {
      await uow.payments.insert(Payment.captured(request, result.reference, now));
      this.count(uow, 'captured');
      await uow.publish(
        createEnvelope(
          'PaymentCompleted',
          orderId,
          { orderId, customerId, paymentId: request.id, amountCents, currency },
          causedBy(event),
          now,
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
        now,
      ),
    );
  }

  async onOrderCancelled(uow: PaymentUnitOfWork, event: Envelope<'OrderCancelled'>): Promise<void> {
    const { orderId, customerId } = event.payload;
    const reason = event.payload.reason.detail;
    await uow.lockOrder(orderId);
    const payment = await uow.cancelOrder(orderId, reason);
    if (!payment) {
      // No payment row does not mean no money: the gateway's books outlive a handler that
      // captured and then failed before its commit. Ask it, so a cancelled order keeps nothing.
      await this.refundHeldCapture(uow, { orderId, customerId }, reason, event);
      return;
    }
    if (payment.status !== 'CAPTURED') return;
    await this.refund(uow, payment, reason, event);
    await uow.payments.update(payment);
  }

  /**
   * Refunds a capture the gateway holds for an order that has no payment row yet, and records
   * it as a payment captured and refunded. Returns false when the gateway holds none.
   */
  private async refundHeldCapture(
    uow: PaymentUnitOfWork,
    order: Pick<PaymentRequest, 'orderId' | 'customerId'>,
    reason: string,
    cause: Envelope,
  ): Promise<boolean> {
    const held = await this.gateway.findCapture(captureKey(order.orderId));
    if (!held) return false;
    const payment = Payment.captured(
      {
        id: crypto.randomUUID(),
        orderId: order.orderId,
        customerId: order.customerId,
        // What the gateway took, which is what has to go back.
        amountCents: held.amountCents,
        currency: held.currency,
      },
      held.reference,
      this.clock.now(),
    );
    await this.refund(uow, payment, reason, cause);
    await uow.payments.insert(payment);
    return true;
  }

  /** Gives a captured payment's money back (idempotent by key at the gateway) and announces it. */
  private async refund(
    uow: PaymentUnitOfWork,
    payment: Payment,
    reason: string,
    cause: Envelope,
  ): Promise<void> {
    const p = payment.snapshot;
    const refund = await this.gateway.refund({
      idempotencyKey: refundKey(p.orderId),
      captureReference: p.gatewayReference!,
      amountCents: p.amountCents,
    });
    const now = this.clock.now();
    payment.refund(refund.reference, now);
    this.count(uow, 'refunded');
    await uow.publish(
      createEnvelope(
        'PaymentRefunded',
        p.orderId,
        {
          orderId: p.orderId,
          customerId: p.customerId,
          paymentId: p.id,
          reason,
          amountCents: p.amountCents,
          currency: p.currency,
        },
        causedBy(cause),
        now,
      ),
    );
  }
}
