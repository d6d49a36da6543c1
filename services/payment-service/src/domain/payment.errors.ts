import { BusinessError } from '@shop/contracts';

export class PaymentNotFoundError extends BusinessError {
  constructor(readonly paymentId: string) {
    super(`Payment not found: ${paymentId}`);
  }
}

export class InvalidPaymentOperationError extends BusinessError {}
