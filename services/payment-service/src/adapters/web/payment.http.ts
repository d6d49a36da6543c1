import Router from '@koa/router';
import { HttpProblem } from '@shop/service-kit';
import type { Payment } from '../../domain/payment';
import { PaymentNotFoundError } from '../../domain/payment.errors';
import type { TransactionRunner } from '../../application/ports';
import { ListPaymentsQuery, PaymentIdParam } from './payment.request';

export function paymentRouter(transactions: TransactionRunner): Router {
  const router = new Router();

  router.get('/payments', async (ctx) => {
    const { orderId } = ListPaymentsQuery.parse(ctx.query);
    const payment = await transactions.run((uow) => uow.payments.findByOrder(orderId));
    ctx.body = { items: payment ? [present(payment)] : [] };
  });

  router.get('/payments/:id', async (ctx) => {
    const id = PaymentIdParam.safeParse(ctx.params.id);
    const payment = id.success
      ? await transactions.run((uow) => uow.payments.findById(id.data))
      : undefined;
    if (!payment) throw new PaymentNotFoundError(String(ctx.params.id).slice(0, 64));
    ctx.body = present(payment);
  });

  return router;
}

export function paymentProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof PaymentNotFoundError)
    return new HttpProblem(404, 'Not Found', error.message);
  return undefined;
}

function present(payment: Payment) {
  const { gatewayReference: _reference, refundReference: _refund, ...rest } = payment.snapshot;
  return rest;
}
