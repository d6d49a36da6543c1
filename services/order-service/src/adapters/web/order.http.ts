import Router from '@koa/router';
import type { Context } from 'koa';
import { HttpProblem } from '@shop/service-kit';
import type { Order } from '../../domain/order';
import {
  IllegalOrderTransitionError,
  OrderNotCancellableError,
  OrderNotFoundError,
} from '../../domain/order.errors';
import {
  CatalogUnavailableError,
  IdempotencyKeyReusedError,
  UnknownProductsError,
} from '../../application/application.errors';
import type { CancelOrder } from '../../application/cancel-order';
import type { OrderQueries } from '../../application/order-queries';
import type { PlaceOrder } from '../../application/place-order';
import type { StuckSagaQuery } from '../../application/stuck-sagas';
import {
  CancelOrderRequest,
  IdempotencyKeyHeader,
  ListOrdersQuery,
  OrderIdParam,
  PlaceOrderRequest,
  StuckSagasQuery,
} from './order.request';

export interface OrderUseCases {
  readonly placeOrder: PlaceOrder;
  readonly cancelOrder: CancelOrder;
  readonly queries: OrderQueries;
  readonly stuckSagas: StuckSagaQuery;
}

export function orderRouter({
  placeOrder,
  cancelOrder,
  queries,
  stuckSagas,
}: OrderUseCases): Router {
  const router = new Router();

  router.post('/orders', async (ctx) => {
    const body = PlaceOrderRequest.parse(ctx.request.body ?? {});
    const idempotencyKey = IdempotencyKeyHeader.parse(ctx.get('idempotency-key') || undefined);
    const { order, replayed } = await placeOrder.execute({
      ...body,
      idempotencyKey,
      requestId: requestIdOf(ctx),
    });
    ctx.status = replayed ? 200 : 201;
    ctx.set('Location', `/orders/${order.id}`);
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.body = present(order);
  });

  router.get('/orders', async (ctx) => {
    const query = ListOrdersQuery.parse(ctx.query);
    const { orders, total } = await queries.list(query);
    ctx.body = { items: orders.map(present), total, limit: query.limit, offset: query.offset };
  });

  // What SagaStuck counts, for the operations console: orders past their status's deadline.
  router.get('/sagas/stuck', async (ctx) => {
    const { limit } = StuckSagasQuery.parse(ctx.query);
    const { deadlines, orders } = await stuckSagas.list(limit);
    ctx.body = {
      deadlinesMs: deadlines,
      items: orders.map((order) => ({
        ...present(order),
        statusSince: order.statusSince().toISOString(),
      })),
    };
  });

  router.get('/orders/:id', async (ctx) => {
    ctx.body = present(await queries.get(orderIdOf(ctx)));
  });

  router.post('/orders/:id/cancel', async (ctx) => {
    const id = orderIdOf(ctx);
    const { reason } = CancelOrderRequest.parse(ctx.request.body ?? {});
    const order = await cancelOrder.execute(
      id,
      reason ?? 'cancelled by customer',
      requestIdOf(ctx),
    );
    ctx.status = 202;
    ctx.body = present(order);
  });

  return router;
}

/** The service's own errors as problems; everything else is the kit's concern. */
export function orderProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof OrderNotFoundError) return new HttpProblem(404, 'Not Found', error.message);
  if (error instanceof UnknownProductsError) {
    return new HttpProblem(422, 'Unknown Product', error.message, { productIds: error.productIds });
  }
  if (error instanceof IdempotencyKeyReusedError)
    return new HttpProblem(422, 'Idempotency Key Reused', error.message);
  if (error instanceof OrderNotCancellableError || error instanceof IllegalOrderTransitionError) {
    return new HttpProblem(409, 'Conflict', error.message, { status: error.status });
  }
  if (error instanceof CatalogUnavailableError) {
    return new HttpProblem(
      503,
      'Service Unavailable',
      'the product catalog cannot be reached; try again shortly',
    );
  }
  return undefined;
}

function orderIdOf(ctx: Context): string {
  const parsed = OrderIdParam.safeParse(ctx.params.id);
  if (!parsed.success)
    throw new HttpProblem(
      404,
      'Not Found',
      `Order not found: ${String(ctx.params.id).slice(0, 64)}`,
    );
  return parsed.data;
}

function requestIdOf(ctx: Context): string {
  return ctx.state.requestId as string;
}

function present(order: Order) {
  const o = order.snapshot;
  return {
    id: o.id,
    customerId: o.customerId,
    status: o.status,
    lines: o.pricedLines ?? o.lines,
    paymentMethod: { type: o.paymentMethod.type },
    amountCents: o.amountCents ?? null,
    currency: o.currency ?? null,
    paymentId: o.paymentId ?? null,
    cancellationReason: o.cancellationReason ?? null,
    shortLines: o.shortLines ?? null,
    history: o.history,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}
