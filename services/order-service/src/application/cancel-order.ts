import { OrderNotFoundError } from '../domain/order.errors';
import type { Order } from '../domain/order';
import type { Clock } from './clock';
import { toEnvelopes } from './order-events';
import type { TransactionRunner } from './ports';

/** The customer's cancel: CANCELLING now, CANCELLED once inventory has restored the stock. */
export class CancelOrder {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async execute(orderId: string, reason: string, requestId: string): Promise<Order> {
    return this.transactions.run(async (uow) => {
      const order = await uow.orders.findForUpdate(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      const now = this.clock.now();
      const events = order.requestCancel(reason, {
        name: 'CancelRequested',
        id: requestId,
        at: now,
      });
      if (events.length === 0) return order;
      await uow.orders.update(order);
      await uow.publish(
        ...toEnvelopes(order, events, { correlationId: requestId, causationId: requestId }, now),
      );
      return order;
    });
  }
}
