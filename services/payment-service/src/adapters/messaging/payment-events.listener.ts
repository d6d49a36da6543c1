import type { Sequelize } from 'sequelize';
import type { EventHandlers, HandlerContext } from '@shop/messaging';
import type { PaymentSaga } from '../../application/payment-saga';
import type { PaymentUnitOfWork } from '../../application/ports';
import { paymentUnitOfWork } from '../persistence/sequelize-payment-store';

/** The events payment-service consumes, each handed to the saga inside the kit's transaction. */
export function paymentEventHandlers(saga: PaymentSaga, sequelize: Sequelize): EventHandlers {
  const uow = (ctx: HandlerContext): PaymentUnitOfWork =>
    paymentUnitOfWork(sequelize, ctx.transaction, ctx.publish);
  return {
    PaymentRequested: (event, ctx) => saga.onPaymentRequested(uow(ctx), event),
    OrderCancelled: (event, ctx) => saga.onOrderCancelled(uow(ctx), event),
  };
}
