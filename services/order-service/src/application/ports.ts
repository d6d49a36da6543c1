import type { Envelope } from '@shop/contracts';
import type { Order } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';

export interface OrderQuery {
  readonly customerId?: string;
  readonly status?: OrderStatus;
  readonly limit: number;
  readonly offset: number;
}

export interface OrderRepository {
  findById(id: string): Promise<Order | undefined>;
  /** Loads the order and holds it until the unit of work ends. */
  findForUpdate(id: string): Promise<Order | undefined>;
  /**
   * Inserts a placed order. With an idempotency key the order is inserted only if it claims the
   * key; otherwise nothing is written and the answer tells who claimed it first.
   */
  insert(order: Order, idempotency?: IdempotencyKey): Promise<IdempotencyClaim>;
  update(order: Order): Promise<void>;
  list(query: OrderQuery): Promise<{ orders: Order[]; total: number }>;
  /**
   * Up to `limit` orders whose last move was before their status's cutoff, oldest first, held
   * until the unit of work ends. Orders another unit of work holds are skipped, not waited for:
   * replicas sweeping at once each take different orders.
   */
  claimOverdue(cutoffs: DeadlineCutoffs, limit: number): Promise<Order[]>;
  /** Orders that entered their status before its cutoff and are still in it, by status. */
  countOverdue(cutoffs: DeadlineCutoffs): Promise<Record<ActiveStatus, number>>;
  /** The same orders, longest in their status first. */
  listOverdue(cutoffs: DeadlineCutoffs, limit: number): Promise<Order[]>;
}

/** The statuses the saga has not finished with: each has a deadline. */
export type ActiveStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLING';
export const ACTIVE_STATUSES: readonly ActiveStatus[] = ['PENDING', 'CONFIRMED', 'CANCELLING'];

/** Per active status, the instant before which an order in it is overdue. */
export type DeadlineCutoffs = Readonly<Record<ActiveStatus, Date>>;

export interface IdempotencyKey {
  readonly key: string;
  /** The request the key was sent with: the same key with another request is refused. */
  readonly requestHash: string;
}

export type IdempotencyClaim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly requestHash: string; readonly orderId: string };

/** Everything one use case writes commits together, events included (transactional outbox). */
export interface OrderUnitOfWork {
  readonly orders: OrderRepository;
  publish(...events: Envelope[]): Promise<void>;
  /** Runs once everything above has committed. */
  afterCommit(callback: () => void): void;
}

export type CancellationKind =
  'insufficient_stock' | 'payment_failed' | 'deadline_passed' | 'customer';

/** Business outcomes worth counting (the guide's order success rate). */
export interface OrderMetrics {
  orderPlaced(): void;
  orderCompleted(): void;
  orderCancelled(kind: CancellationKind): void;
}

/** What the deadline sweep did and what it could not mend. */
export interface DeadlineMetrics {
  deadlinePassed(status: ActiveStatus): void;
  /** Orders still past their status's deadline, counted from when they entered it. */
  overdue(counts: Record<ActiveStatus, number>): void;
  sweepFailed(error: unknown): void;
}

export interface TransactionRunner {
  run<T>(work: (uow: OrderUnitOfWork) => Promise<T>): Promise<T>;
}

/** Which of these products the inventory does not know; throws CatalogUnavailableError if it cannot tell. */
export interface ProductCatalog {
  unknownProducts(productIds: readonly string[]): Promise<string[]>;
}
