import { causedBy, createEnvelope, type Envelope } from '@shop/contracts';
import type { Product } from '../domain/product';
import { Reservation } from '../domain/reservation';
import { ReservationNotFoundError } from '../domain/stock.errors';
import type { Clock } from './clock';
import type { InventoryUnitOfWork, StockMetrics } from './ports';

/** How inventory reacts to the saga: reserve on OrderCreated, deduct on PaymentCompleted, restore on OrderCancelled. */
export class StockSaga {
  constructor(
    private readonly currency: string,
    private readonly clock: Clock,
    private readonly metrics: StockMetrics,
  ) {}

  /** Reserves every line in one transaction, with the products locked: never oversold. */
  async onOrderCreated(uow: InventoryUnitOfWork, event: Envelope<'OrderCreated'>): Promise<void> {
    const { orderId, lines } = event.payload;
    if (await uow.reservations.findForUpdate(orderId)) return; // a second OrderCreated for the order changes nothing
    const products = await uow.products.findManyForUpdate(lines.map((l) => l.productId));
    const outcome = Reservation.reserve(orderId, lines, products);
    if (!(await uow.reservations.insert(outcome.reservation))) return;
    uow.afterCommit(() =>
      this.metrics.reservation(outcome.kind === 'short' ? 'insufficient' : 'reserved'),
    );
    if (outcome.kind === 'short') {
      await uow.publish(
        createEnvelope(
          'InsufficientStock',
          orderId,
          { orderId, shortLines: outcome.shortLines },
          causedBy(event),
          this.clock.now(),
        ),
      );
      return;
    }
    await uow.products.update(products.values());
    const reservation = outcome.reservation;
    await uow.publish(
      createEnvelope(
        'StockReserved',
        orderId,
        {
          orderId,
          reservedItems: [...reservation.snapshot.lines],
          amountCents: reservation.amountCents,
          currency: this.currency,
        },
        causedBy(event),
        this.clock.now(),
      ),
    );
  }

  /** Deducts: the paid reservation becomes sold stock, once. */
  onPaymentCompleted(uow: InventoryUnitOfWork, event: Envelope<'PaymentCompleted'>): Promise<void> {
    return this.settle(uow, event, 'StockDeducted', (reservation, products) => {
      if (reservation.status === 'DEDUCTED') return false;
      reservation.deduct(products);
      return true;
    });
  }

  /** Restores: reserved or sold stock goes back to available; a cancel with nothing to restore is ReservationNotFound. */
  onOrderCancelled(uow: InventoryUnitOfWork, event: Envelope<'OrderCancelled'>): Promise<void> {
    return this.settle(uow, event, 'StockRestored', (reservation, products) => {
      reservation.restore(products);
      return true;
    });
  }

  /** Moves an order's reservation under row locks and announces the stock it moved. */
  private async settle(
    uow: InventoryUnitOfWork,
    event: Envelope<'PaymentCompleted' | 'OrderCancelled'>,
    announce: 'StockDeducted' | 'StockRestored',
    move: (reservation: Reservation, products: Map<string, Product>) => boolean,
  ): Promise<void> {
    const { orderId } = event.payload;
    const reservation = await uow.reservations.findForUpdate(orderId);
    if (!reservation) throw new ReservationNotFoundError(orderId);
    const products = await uow.products.findManyForUpdate(
      reservation.snapshot.lines.map((l) => l.productId),
    );
    if (!move(reservation, products)) return;
    await uow.products.update(products.values());
    await uow.reservations.update(reservation);
    await uow.publish(
      createEnvelope(
        announce,
        orderId,
        { orderId, items: linesOf(reservation) },
        causedBy(event),
        this.clock.now(),
      ),
    );
  }
}

function linesOf(reservation: Reservation) {
  return reservation.snapshot.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
}
