import type { Sequelize } from 'sequelize';
import type { EventHandlers, HandlerContext } from '@shop/messaging';
import type { InventoryUnitOfWork } from '../../application/ports';
import type { StockSaga } from '../../application/stock-saga';
import { inventoryUnitOfWork } from '../persistence/sequelize-inventory-store';

/** The events inventory-service consumes, each handed to the saga inside the kit's transaction. */
export function inventoryEventHandlers(saga: StockSaga, sequelize: Sequelize): EventHandlers {
  const uow = (ctx: HandlerContext): InventoryUnitOfWork =>
    inventoryUnitOfWork(sequelize, ctx.transaction, ctx.publish);
  return {
    OrderCreated: (event, ctx) => saga.reserveStock(uow(ctx), event),
    PaymentCompleted: (event, ctx) => saga.deductStock(uow(ctx), event),
    OrderCancelled: (event, ctx) => saga.restoreStock(uow(ctx), event),
  };
}
