import { InvalidPaymentOperationError } from './payment.errors';

/**
 * CAPTURED (money taken) → REFUNDED (the order ended cancelled); DECLINED (the gateway said no);
 * VOIDED (the order was cancelled before any capture, so none was attempted).
 */
export type PaymentStatus = 'CAPTURED' | 'DECLINED' | 'REFUNDED' | 'VOIDED';

export interface PaymentState {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly status: PaymentStatus;
  readonly gatewayReference?: string;
  readonly failureReason?: string;
  readonly refundReference?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PaymentRequest {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly currency: string;
}

export class Payment {
  private constructor(private state: PaymentState) {}

  static captured(request: PaymentRequest, gatewayReference: string, at: Date): Payment {
    return Payment.of(request, 'CAPTURED', at, { gatewayReference });
  }

  static declined(request: PaymentRequest, reason: string, at: Date): Payment {
    return Payment.of(request, 'DECLINED', at, { failureReason: reason });
  }

  static voided(request: PaymentRequest, reason: string, at: Date): Payment {
    return Payment.of(request, 'VOIDED', at, { failureReason: reason });
  }

  static restore(state: PaymentState): Payment {
    return new Payment(state);
  }

  private static of(
    request: PaymentRequest,
    status: PaymentStatus,
    at: Date,
    extra: Partial<PaymentState>,
  ): Payment {
    const now = at.toISOString();
    return new Payment({ ...request, status, ...extra, createdAt: now, updatedAt: now });
  }

  get snapshot(): PaymentState {
    return this.state;
  }

  get status(): PaymentStatus {
    return this.state.status;
  }

  /** Money for an order that ended cancelled goes back, once. */
  refund(refundReference: string, at: Date): void {
    if (this.state.status !== 'CAPTURED') {
      throw new InvalidPaymentOperationError(
        `cannot refund payment ${this.state.id}: it is ${this.state.status}`,
      );
    }
    this.state = {
      ...this.state,
      status: 'REFUNDED',
      refundReference,
      updatedAt: at.toISOString(),
    };
  }
}
