import type { EventHandlers } from '@shop/messaging';
import type { StockSaga } from '../../application/stock-saga';
import type { InventoryUnitOfWork } from '../../application/ports';

/**
 * The events inventory-service consumes, each handed to the saga with its unit of work in the
 * consumer's transaction; a chunk of them first takes all its locks in one order.
 */
export function inventoryEventHandlers(saga: StockSaga): EventHandlers<InventoryUnitOfWork> {
  return {
    beforeChunk: (events, uow) => saga.lockAhead(uow, events),
    OrderCreated: (event, uow) => saga.onOrderCreated(uow, event),
    PaymentCompleted: (event, uow) => saga.onPaymentCompleted(uow, event),
    OrderCancelled: (event, uow) => saga.onOrderCancelled(uow, event),
  };
}
