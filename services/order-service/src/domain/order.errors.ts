import { BusinessError } from '@shop/contracts';
import type { OrderStatus } from './order-status';

export class OrderNotFoundError extends BusinessError {
  constructor(readonly orderId: string) {
    super(`Order not found: ${orderId}`);
  }
}

/** An event or command that does not apply to the order's current state; never overwrites it. */
export class IllegalOrderTransitionError extends BusinessError {
  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    readonly trigger: string,
  ) {
    super(`Order ${orderId} is ${status}: ${trigger} does not apply`);
  }
}

export class OrderNotCancellableError extends BusinessError {
  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
  ) {
    super(`Order ${orderId} is ${status} and can no longer be cancelled`);
  }
}

/**
 * A second, different payment for one order. payment-service captures at most once per order, so
 * this is a broken contract: refused and counted, never written over the payment recorded first.
 */
export class PaymentAlreadyRecordedError extends BusinessError {
  constructor(
    readonly orderId: string,
    readonly recordedPaymentId: string,
    readonly incomingPaymentId: string,
  ) {
    super(
      `Order ${orderId} already has payment ${recordedPaymentId}: payment ${incomingPaymentId} is refused`,
    );
  }
}
