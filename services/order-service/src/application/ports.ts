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
  insert(order: Order): Promise<void>;
  update(order: Order): Promise<void>;
  list(query: OrderQuery): Promise<{ orders: Order[]; total: number }>;
}

export type IdempotencyClaim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly requestHash: string; readonly orderId: string };

export interface IdempotencyKeys {
  /** Records the key for this request, or tells who had it first. */
  claim(key: string, requestHash: string, orderId: string): Promise<IdempotencyClaim>;
}

/** Everything one use case writes commits together, events included (transactional outbox). */
export interface OrderUnitOfWork {
  readonly orders: OrderRepository;
  readonly idempotencyKeys: IdempotencyKeys;
  publish(...events: Envelope[]): Promise<void>;
  /** Runs once everything above has committed. */
  afterCommit(callback: () => void): void;
}

export type CancellationKind = 'insufficient_stock' | 'payment_failed' | 'customer';

/** Business outcomes worth counting (the guide's order success rate). */
export interface OrderMetrics {
  orderPlaced(): void;
  orderCompleted(): void;
  orderCancelled(kind: CancellationKind): void;
}

export interface TransactionRunner {
  run<T>(work: (uow: OrderUnitOfWork) => Promise<T>): Promise<T>;
}

/** Which of these products the inventory does not know; throws CatalogUnavailableError if it cannot tell. */
export interface ProductCatalog {
  unknownProducts(productIds: readonly string[]): Promise<string[]>;
}
