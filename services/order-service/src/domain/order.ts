import type { OrderStatus } from './order-status';
import {
  IllegalOrderTransitionError,
  OrderNotCancellableError,
  PaymentAlreadyRecordedError,
} from './order.errors';

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
}

export interface PricedLine extends OrderLine {
  readonly unitPriceCents: number;
}

export interface ShortLine {
  readonly productId: string;
  readonly requested: number;
  readonly available: number;
}

export interface PaymentMethod {
  readonly type: 'card' | 'wallet';
  readonly reference: string;
}

/** What moved the order, kept for GET /orders/:id: the event (or request) and when. */
export interface StatusChange {
  readonly from: OrderStatus | null;
  readonly to: OrderStatus;
  readonly at: string;
  readonly cause: string;
  readonly causeId: string;
}

export interface Cause {
  /** An event type, or a command such as `CancelRequested`. */
  readonly name: string;
  /** The event id or request id. */
  readonly id: string;
  readonly at: Date;
}

export interface OrderState {
  readonly id: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly paymentMethod: PaymentMethod;
  readonly status: OrderStatus;
  readonly pricedLines?: readonly PricedLine[];
  readonly amountCents?: number;
  readonly currency?: string;
  readonly paymentId?: string;
  readonly cancellationReason?: string;
  readonly shortLines?: readonly ShortLine[];
  readonly history: readonly StatusChange[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the order wants announced; the application turns these into events. */
export type OrderEvent =
  | { readonly type: 'OrderCreated' }
  | { readonly type: 'PaymentRequested' }
  | { readonly type: 'OrderCancelled' }
  | { readonly type: 'OrderCompleted' };

/**
 * The order aggregate and its state machine:
 *
 *   PENDING --StockReserved--> CONFIRMED --StockDeducted--> COMPLETED
 *   PENDING --InsufficientStock--> CANCELLED
 *   PENDING|CONFIRMED --cancel / PaymentFailed / deadline--> CANCELLING --StockRestored--> CANCELLED
 *
 * A deadline passing in CANCELLING announces the cancel again (the restore may have been lost).
 *
 * Events that arrive late or twice are absorbed where the saga allows it; anything else is an
 * IllegalOrderTransitionError, never a silent overwrite.
 */
export class Order {
  private constructor(private state: OrderState) {}

  static place(
    input: {
      id: string;
      customerId: string;
      lines: readonly OrderLine[];
      paymentMethod: PaymentMethod;
    },
    cause: Cause,
  ): { order: Order; events: OrderEvent[] } {
    const at = cause.at.toISOString();
    const order = new Order({
      ...input,
      lines: mergeLines(input.lines),
      status: 'PENDING',
      history: [{ from: null, to: 'PENDING', at, cause: cause.name, causeId: cause.id }],
      createdAt: at,
      updatedAt: at,
    });
    return { order, events: [{ type: 'OrderCreated' }] };
  }

  static restore(state: OrderState): Order {
    return new Order(state);
  }

  get snapshot(): OrderState {
    return this.state;
  }

  get id(): string {
    return this.state.id;
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  /** What started the cancellation: the cause of the first move into CANCELLING or CANCELLED. */
  cancellationKind():
    'insufficient_stock' | 'payment_failed' | 'deadline_passed' | 'customer' | undefined {
    const first = this.state.history.find((h) => h.to === 'CANCELLING' || h.to === 'CANCELLED');
    if (!first) return undefined;
    if (first.cause === 'InsufficientStock') return 'insufficient_stock';
    if (first.cause === 'PaymentFailed') return 'payment_failed';
    if (first.cause === DEADLINE_PASSED) return 'deadline_passed';
    return 'customer';
  }

  /** When the order entered its status; announcing a cancel again does not reset it. */
  statusSince(): Date {
    const moves = this.state.history.filter((h) => h.from !== h.to);
    return new Date(moves[moves.length - 1]!.at);
  }

  /**
   * The saga's deadline for the order's status passed with no answer. PENDING or CONFIRMED: the
   * order starts cancelling, which releases whatever inventory holds and voids or refunds any
   * payment. CANCELLING: the cancel is announced again, and the history says so. A finished
   * order has no deadline.
   */
  passDeadline(cause: Cause): OrderEvent[] {
    const { status } = this.state;
    if (status === 'PENDING' || status === 'CONFIRMED') {
      const waitingFor = status === 'PENDING' ? 'stock' : 'payment';
      return this.startCancelling(`no ${waitingFor} answer before the deadline`, cause);
    }
    if (status === 'CANCELLING') {
      this.moveTo('CANCELLING', cause);
      return [{ type: 'OrderCancelled' }];
    }
    return [];
  }

  /** StockReserved: priced and confirmed, payment requested. Late after a cancel: release it again. */
  confirm(
    pricedLines: readonly PricedLine[],
    amountCents: number,
    currency: string,
    cause: Cause,
  ): OrderEvent[] {
    if (this.state.status === 'CANCELLING') return [{ type: 'OrderCancelled' }];
    this.expect(['PENDING'], cause);
    this.state = { ...this.state, pricedLines, amountCents, currency };
    this.moveTo('CONFIRMED', cause);
    return [{ type: 'PaymentRequested' }];
  }

  /**
   * InsufficientStock: nothing was reserved, so the order ends here. A PENDING order announces
   * its cancellation (the customer is told); a CANCELLING one already did.
   */
  reject(shortLines: readonly ShortLine[], cause: Cause): OrderEvent[] {
    this.expect(['PENDING', 'CANCELLING'], cause);
    const wasPending = this.state.status === 'PENDING';
    const reason = wasPending ? 'insufficient stock' : this.state.cancellationReason;
    this.state = { ...this.state, shortLines, cancellationReason: reason };
    this.moveTo('CANCELLED', cause);
    return wasPending ? [{ type: 'OrderCancelled' }] : [];
  }

  /** The customer's cancel: idempotent while cancelling or cancelled, refused once completed. */
  requestCancel(reason: string, cause: Cause): OrderEvent[] {
    if (this.state.status === 'CANCELLING' || this.state.status === 'CANCELLED') return [];
    if (this.state.status === 'COMPLETED')
      throw new OrderNotCancellableError(this.id, this.state.status);
    return this.startCancelling(reason, cause);
  }

  /**
   * PaymentCompleted: records which payment took the order's money, once. The same payment again
   * changes nothing; a different one is a PaymentAlreadyRecordedError, never an overwrite.
   *
   * It never moves the order (StockDeducted completes it). When it arrives after a cancel (the
   * capture won the race), the order stays CANCELLING or CANCELLED and keeps the reference:
   * payment-service refunds that payment on the same OrderCancelled, and GET /orders/:id shows
   * which payment the refund is for.
   */
  paymentCompleted(paymentId: string, cause: Cause): OrderEvent[] {
    if (this.state.status === 'PENDING') throw this.illegal(cause);
    const recorded = this.state.paymentId;
    if (recorded === paymentId) return [];
    if (recorded !== undefined) throw new PaymentAlreadyRecordedError(this.id, recorded, paymentId);
    this.state = { ...this.state, paymentId, updatedAt: cause.at.toISOString() };
    return [];
  }

  paymentFailed(reason: string, cause: Cause): OrderEvent[] {
    if (this.state.status === 'CANCELLING' || this.state.status === 'CANCELLED') return [];
    this.expect(['CONFIRMED'], cause);
    return this.startCancelling(`payment failed: ${reason}`, cause);
  }

  /** StockDeducted: done. While cancelling, the restore that follows wins. */
  complete(cause: Cause): OrderEvent[] {
    if (this.state.status === 'CANCELLING') return [];
    this.expect(['CONFIRMED'], cause);
    this.moveTo('COMPLETED', cause);
    return [{ type: 'OrderCompleted' }];
  }

  stockRestored(cause: Cause): OrderEvent[] {
    this.expect(['CANCELLING'], cause);
    this.moveTo('CANCELLED', cause);
    return [];
  }

  private startCancelling(reason: string, cause: Cause): OrderEvent[] {
    this.state = { ...this.state, cancellationReason: reason };
    this.moveTo('CANCELLING', cause);
    return [{ type: 'OrderCancelled' }];
  }

  private expect(allowed: readonly OrderStatus[], cause: Cause): void {
    if (!allowed.includes(this.state.status)) throw this.illegal(cause);
  }

  private illegal(cause: Cause): IllegalOrderTransitionError {
    return new IllegalOrderTransitionError(this.id, this.state.status, cause.name);
  }

  private moveTo(to: OrderStatus, cause: Cause): void {
    const at = cause.at.toISOString();
    this.state = {
      ...this.state,
      status: to,
      updatedAt: at,
      history: [
        ...this.state.history,
        { from: this.state.status, to, at, cause: cause.name, causeId: cause.id },
      ],
    };
  }
}

/** The cause the saga's deadline sweep gives each order it moves. */
export const DEADLINE_PASSED = 'DeadlinePassed';

/** Two lines of one product are one line of their sum. */
function mergeLines(lines: readonly OrderLine[]): OrderLine[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.productId, (merged.get(l.productId) ?? 0) + l.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}
