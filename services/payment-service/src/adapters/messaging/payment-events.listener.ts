import type { EventHandlers } from '@shop/messaging';
import type { PaymentSaga } from '../../application/payment-saga';
import type { PaymentUnitOfWork } from '../../application/ports';

/** The events payment-service consumes, each handed to the saga with its unit of work in the consumer's transaction. */
export function paymentEventHandlers(saga: PaymentSaga): EventHandlers<PaymentUnitOfWork> {
  return {
    PaymentRequested: (event, uow) => saga.onPaymentRequested(uow, event),
    OrderCancelled: (event, uow) => saga.onOrderCancelled(uow, event),
  };
}
