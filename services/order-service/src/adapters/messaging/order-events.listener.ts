import type { Sequelize } from 'sequelize';
import type { EventHandlers, HandlerContext } from '@shop/messaging';
import type { OrderSaga } from '../../application/order-saga';
import type { OrderUnitOfWork } from '../../application/ports';
import { orderUnitOfWork } from '../persistence/sequelize-order-store';

/** The events order-service consumes, each handed to the saga inside the kit's transaction. */
export function orderEventHandlers(saga: OrderSaga, sequelize: Sequelize): EventHandlers {
  const uow = (ctx: HandlerContext): OrderUnitOfWork =>
    orderUnitOfWork(sequelize, ctx.transaction, ctx.publish);
  return {
    StockReserved: (event, ctx) => saga.onStockReserved(uow(ctx), event),
    InsufficientStock: (event, ctx) => saga.onInsufficientStock(uow(ctx), event),
    PaymentCompleted: (event, ctx) => saga.onPaymentCompleted(uow(ctx), event),
    PaymentFailed: (event, ctx) => saga.onPaymentFailed(uow(ctx), event),
    StockDeducted: (event, ctx) => saga.onStockDeducted(uow(ctx), event),
    StockRestored: (event, ctx) => saga.onStockRestored(uow(ctx), event),
  };
}
