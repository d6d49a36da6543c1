import type { EventHandlers } from '@shop/messaging';
import type { OrderSaga } from '../../application/order-saga';
import type { OrderUnitOfWork } from '../../application/ports';

/** The events order-service consumes, each handed to the saga with its unit of work in the consumer's transaction. */
export function orderEventHandlers(saga: OrderSaga): EventHandlers<OrderUnitOfWork> {
  return {
    StockReserved: (event, uow) => saga.onStockReserved(uow, event),
    InsufficientStock: (event, uow) => saga.onInsufficientStock(uow, event),
    PaymentCompleted: (event, uow) => saga.onPaymentCompleted(uow, event),
    PaymentFailed: (event, uow) => saga.onPaymentFailed(uow, event),
    StockDeducted: (event, uow) => saga.onStockDeducted(uow, event),
    StockRestored: (event, uow) => saga.onStockRestored(uow, event),
  };
}
