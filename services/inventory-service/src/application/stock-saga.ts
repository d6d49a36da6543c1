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

  /**
   * Takes every lock a chunk of events will need before its handlers run, in the one order all
   * units of work take them (reservations, then products, each by id): chunks of several
   * partitions applied at once then never deadlock. One event's handler already locks in that
   * order, so a chunk of one needs nothing ahead.
   */
  async lockAhead(uow: InventoryUnitOfWork, events: readonly Envelope[]): Promise<void> {
    if (events.length < 2) return;
    const orderIds: string[] = [];
    const productIds: string[] = [];
    for (const event of events) {
      if (event.eventType === 'OrderCreated') {
        productIds.push(
          ...(event as Envelope<'OrderCreated'>).payload.lines.map((l) => l.productId),
        );
      } else if (event.eventType === 'PaymentCompleted' || event.eventType === 'OrderCancelled') {
        orderIds.push((event as Envelope<'PaymentCompleted' | 'OrderCancelled'>).payload.orderId);
      }
    }
    await uow.reservations.lockAhead(orderIds, productIds);
  }

  /** Reserves every line in one transaction, with the products locked: never oversold. */
  async onOrderCreated(uow: InventoryUnitOfWork, event: Envelope<'OrderCreated'>): Promise<void> {
    const { orderId, lines } = event.payload;
    const products = await uow.products.findManyForUpdate(lines.map((l) => l.productId));
    const outcome = Reservation.reserve(orderId, lines, products);
    const moved = outcome.kind === 'short' ? [] : products.values();
    // A second OrderCreated for the order changes nothing.
    if (!(await uow.reservations.insert(outcome.reservation, moved))) return;
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

  /**
   * Restores: reserved or sold stock goes back to available. A cancel before any reservation
   * restores nothing and says so, so the order does not wait for a restore that never comes; a
   * cancel of an order that got nothing (REJECTED) or was restored already is ReservationNotFound.
   */
  async onOrderCancelled(
    uow: InventoryUnitOfWork,
    event: Envelope<'OrderCancelled'>,
  ): Promise<void> {
    const { orderId } = event.payload;
    if (await uow.reservations.insert(Reservation.releasedBeforeReserving(orderId), [])) {
      await uow.publish(
        createEnvelope(
          'StockRestored',
          orderId,
          { orderId, items: [] },
          causedBy(event),
          this.clock.now(),
        ),
      );
      return;
    }
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
    const held = await uow.reservations.findForUpdate(orderId);
    if (!held) throw new ReservationNotFoundError(orderId);
    const { reservation, products } = held;
    if (!move(reservation, products)) return;
    await uow.reservations.update(reservation, products.values());
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
