import type { Envelope } from '@shop/contracts';
import type { Payment } from '../domain/payment';

export interface PaymentRepository {
  findByOrder(orderId: string): Promise<Payment | undefined>;
  findById(id: string): Promise<Payment | undefined>;
  insert(payment: Payment): Promise<void>;
  update(payment: Payment): Promise<void>;
}

/** What payment-service knows of one order. */
export interface OrderState {
  readonly payment: Payment | undefined;
  /** Why the order was cancelled (the first reason seen), or undefined if it was not. */
  readonly cancelReason: string | undefined;
}

export interface PaymentUnitOfWork {
  readonly payments: PaymentRepository;
  /** Serializes everything done for one order until the unit of work ends. */
  lockOrder(orderId: string): Promise<void>;
  /** The order's payment and cancel, read in one step; call with its lock held. */
  orderState(orderId: string): Promise<OrderState>;
  /**
   * Remembers that the order was cancelled, so a payment requested later is voided (the first
   * reason stays), and returns its payment, in one step; call with its lock held.
   */
  cancelOrder(orderId: string, reason: string): Promise<Payment | undefined>;
  /**
   * The orders among these with neither a payment nor a cancel yet, read without their locks:
   * a hint for capturing ahead, which each handler checks again under the lock.
   */
  payableOrders(orderIds: readonly string[]): Promise<Set<string>>;
  publish(...events: Envelope[]): Promise<void>;
  /** Runs once everything above has committed. */
  afterCommit(callback: () => void): void;
}

export type PaymentOutcome = 'captured' | 'declined' | 'refunded' | 'voided';

/** Payment outcomes worth counting (the guide's payment completion rate). */
export interface PaymentMetrics {
  outcome(outcome: PaymentOutcome): void;
}

export interface TransactionRunner {
  run<T>(work: (uow: PaymentUnitOfWork) => Promise<T>): Promise<T>;
}

/** Money the gateway holds under a capture's idempotency key. */
export interface HeldCapture {
  readonly reference: string;
  readonly amountCents: number;
  readonly currency: string;
}

export type CaptureResult =
  | { readonly approved: true; readonly reference: string }
  | { readonly approved: false; readonly reason: string };

/**
 * The payment provider. Both calls are idempotent by key, as real gateways' are: the same key
 * never moves money twice. Transient failures throw TransientError (retried by the kit).
 */
export interface PaymentGateway {
  capture(request: {
    idempotencyKey: string;
    orderId: string;
    amountCents: number;
    currency: string;
    method: { type: string; reference: string };
  }): Promise<CaptureResult>;
  /**
   * The capture the gateway holds under this key, if any (a decline or nothing is undefined).
   * The gateway's books are not rolled back with ours: a capture can exist that no payment row
   * records, when the handler that asked for it failed before its transaction committed.
   */
  findCapture(idempotencyKey: string): Promise<HeldCapture | undefined>;
  refund(request: {
    idempotencyKey: string;
    captureReference: string;
    amountCents: number;
  }): Promise<{ reference: string }>;
}
