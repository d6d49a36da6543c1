import type { EventHandlers } from '@shop/messaging';
import type { CapturesAhead } from '../../application/captures-ahead';
import type { PaymentSaga } from '../../application/payment-saga';
import type { PaymentUnitOfWork } from '../../application/ports';

/**
 * The events payment-service consumes, each handed to the saga with its unit of work in the
 * consumer's transaction; with `capturesAhead`, a chunk's captures are taken at once first.
 */
export function paymentEventHandlers(
  saga: PaymentSaga,
  capturesAhead?: CapturesAhead,
): EventHandlers<PaymentUnitOfWork> {
  return {
    ...(capturesAhead && {
      beforeChunk: (events, uow) => capturesAhead.takeFor(uow, events),
    }),
    PaymentRequested: (event, uow) => saga.onPaymentRequested(uow, event),
    OrderCancelled: (event, uow) => saga.onOrderCancelled(uow, event),
  };
}
