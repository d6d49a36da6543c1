import { causedBy, type Envelope } from '@shop/contracts';
import type { Cause, Order, OrderEvent } from '../domain/order';
import { OrderNotFoundError } from '../domain/order.errors';
import type { Clock } from './clock';
import { toEnvelopes } from './order-events';
import type { OrderMetrics, OrderUnitOfWork } from './ports';

/** How the order reacts to the other services' events; each runs in the consumer's transaction. */
export class OrderSaga {
  constructor(
    private readonly clock: Clock,
    private readonly metrics: OrderMetrics,
  ) {}

  onStockReserved(uow: OrderUnitOfWork, event: Envelope<'StockReserved'>): Promise<void> {
    const { reservedItems, amountCents, currency } = event.payload;
    return this.react(uow, event, (order, cause) =>
      order.confirm(reservedItems, amountCents, currency, cause),
    );
  }

  onInsufficientStock(uow: OrderUnitOfWork, event: Envelope<'InsufficientStock'>): Promise<void> {
    return this.react(uow, event, (order, cause) => order.reject(event.payload.shortLines, cause));
  }

  onPaymentCompleted(uow: OrderUnitOfWork, event: Envelope<'PaymentCompleted'>): Promise<void> {
    return this.react(uow, event, (order, cause) =>
      order.paymentCompleted(event.payload.paymentId, cause),
    );
  }

  onPaymentFailed(uow: OrderUnitOfWork, event: Envelope<'PaymentFailed'>): Promise<void> {
    return this.react(uow, event, (order, cause) =>
      order.paymentFailed(event.payload.reason, cause),
    );
  }

  onStockDeducted(uow: OrderUnitOfWork, event: Envelope<'StockDeducted'>): Promise<void> {
    return this.react(uow, event, (order, cause) => order.complete(cause));
  }

  onStockRestored(uow: OrderUnitOfWork, event: Envelope<'StockRestored'>): Promise<void> {
    return this.react(uow, event, (order, cause) => order.stockRestored(cause));
  }

  private countOutcome(uow: OrderUnitOfWork, order: Order): void {
    if (order.status === 'COMPLETED') uow.afterCommit(() => this.metrics.orderCompleted());
    if (order.status === 'CANCELLED') {
      const kind = order.cancellationKind() ?? 'customer';
      uow.afterCommit(() => this.metrics.orderCancelled(kind));
    }
  }

  private async react(
    uow: OrderUnitOfWork,
    event: Envelope,
    apply: (order: Order, cause: Cause) => OrderEvent[],
  ): Promise<void> {
    const order = await uow.orders.findForUpdate(event.aggregateId);
    if (!order) throw new OrderNotFoundError(event.aggregateId);
    const now = this.clock.now();
    const before = order.snapshot;
    const announced = apply(order, { name: event.eventType, id: event.eventId, at: now });
    if (order.snapshot !== before) await uow.orders.update(order);
    if (order.status !== before.status) this.countOutcome(uow, order);
    await uow.publish(...toEnvelopes(order, announced, causedBy(event), now));
  }
}
