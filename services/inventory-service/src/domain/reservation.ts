import { InvalidStockOperationError, ReservationNotFoundError } from './stock.errors';
import type { Product } from './product';

export interface ReservedLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface ShortLine {
  readonly productId: string;
  readonly requested: number;
  readonly available: number;
}

/**
 * RESERVED → DEDUCTED (paid) or RELEASED (cancelled before payment);
 * DEDUCTED → RETURNED (cancelled after payment). REJECTED records an order that got nothing.
 */
export type ReservationStatus = 'RESERVED' | 'DEDUCTED' | 'RELEASED' | 'RETURNED' | 'REJECTED';

export interface ReservationState {
  readonly orderId: string;
  readonly status: ReservationStatus;
  readonly lines: readonly ReservedLine[];
}

export type ReservationOutcome =
  | { readonly kind: 'reserved'; readonly reservation: Reservation }
  | { readonly kind: 'short'; readonly reservation: Reservation; readonly shortLines: ShortLine[] };

export class Reservation {
  private constructor(private state: ReservationState) {}

  static restore(state: ReservationState): Reservation {
    return new Reservation(state);
  }

  /**
   * All or nothing: every line is reserved, or none is and the short lines say why.
   * An unknown product counts as a short line with nothing available.
   */
  static reserve(
    orderId: string,
    lines: ReadonlyArray<{ productId: string; quantity: number }>,
    products: ReadonlyMap<string, Product>,
  ): ReservationOutcome {
    lines = mergeLines(lines);
    const shortLines = lines
      .map((l) => ({
        productId: l.productId,
        requested: l.quantity,
        available: products.get(l.productId)?.available ?? 0,
      }))
      .filter((l) => l.requested > l.available);
    if (shortLines.length > 0) {
      return {
        kind: 'short',
        shortLines,
        reservation: new Reservation({ orderId, status: 'REJECTED', lines: [] }),
      };
    }
    const reserved = lines.map((l) => {
      const product = products.get(l.productId)!;
      product.reserve(l.quantity);
      return {
        productId: l.productId,
        quantity: l.quantity,
        unitPriceCents: product.snapshot.priceCents,
      };
    });
    return {
      kind: 'reserved',
      reservation: new Reservation({ orderId, status: 'RESERVED', lines: reserved }),
    };
  }

  /**
   * The cancel came before any reservation: nothing is held, and this row makes an OrderCreated
   * that arrives later (a replay from the DLQ, a slow partition) reserve nothing.
   */
  static releasedBeforeReserving(orderId: string): Reservation {
    return new Reservation({ orderId, status: 'RELEASED', lines: [] });
  }

  get snapshot(): ReservationState {
    return this.state;
  }

  get status(): ReservationStatus {
    return this.state.status;
  }

  get amountCents(): number {
    return this.state.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  }

  /** Payment captured: the reserved stock is sold, once. */
  deduct(products: ReadonlyMap<string, Product>): void {
    if (this.state.status !== 'RESERVED') {
      throw new InvalidStockOperationError(
        `cannot deduct for order ${this.state.orderId}: reservation is ${this.state.status}`,
      );
    }
    for (const l of this.state.lines) this.productOf(products, l.productId).deduct(l.quantity);
    this.state = { ...this.state, status: 'DEDUCTED' };
  }

  /** Order cancelled: reserved stock goes back, or sold stock comes back if it was already paid. */
  restore(products: ReadonlyMap<string, Product>): void {
    const { status, orderId } = this.state;
    if (status === 'RESERVED') {
      for (const l of this.state.lines) this.productOf(products, l.productId).release(l.quantity);
      this.state = { ...this.state, status: 'RELEASED' };
    } else if (status === 'DEDUCTED') {
      for (const l of this.state.lines)
        this.productOf(products, l.productId).returnSold(l.quantity);
      this.state = { ...this.state, status: 'RETURNED' };
    } else {
      throw new ReservationNotFoundError(orderId, `reservation is ${status}`);
    }
  }

  private productOf(products: ReadonlyMap<string, Product>, productId: string): Product {
    const product = products.get(productId);
    if (!product)
      throw new InvalidStockOperationError(
        `reservation of ${this.state.orderId} names unknown ${productId}`,
      );
    return product;
  }
}

function mergeLines(lines: ReadonlyArray<{ productId: string; quantity: number }>) {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.productId, (merged.get(l.productId) ?? 0) + l.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}
