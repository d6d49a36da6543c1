import type { Envelope } from '@shop/contracts';
import type { Product } from '../domain/product';
import type { Reservation } from '../domain/reservation';

export interface ProductRepository {
  findById(id: string): Promise<Product | undefined>;
  /** Loads and locks the products in a fixed order (by id), so concurrent reservations never deadlock. */
  findManyForUpdate(ids: readonly string[]): Promise<Map<string, Product>>;
  findMany(ids: readonly string[]): Promise<Product[]>;
  list(limit: number, offset: number): Promise<{ products: Product[]; total: number }>;
  /**
   * Every product with the stock its reservations hold (RESERVED) and sold (DEDUCTED), read at
   * one instant: read apart, a reservation committing in between would look like a violation.
   */
  allWithHeldStock(): Promise<Array<{ product: Product; held: HeldStock }>>;
  insert(product: Product): Promise<boolean>;
  update(products: Iterable<Product>): Promise<void>;
}

export interface ReservationRepository {
  /** The order's reservation with its products, locked: the reservation first, then its products in id order. */
  findForUpdate(orderId: string): Promise<HeldReservation | undefined>;
  /**
   * Records a new reservation and the stock it moved; false, with nothing written, when the
   * order already has one (a second OrderCreated for it).
   */
  insert(reservation: Reservation, products: Iterable<Product>): Promise<boolean>;
  /** Records where the reservation moved and the stock that moved with it. */
  update(reservation: Reservation, products: Iterable<Product>): Promise<void>;
  /**
   * Locks the reservations of these orders, then every product they hold or `productIds` names,
   * each in id order: the one order every unit of work takes them in, so none waits in a circle.
   */
  lockAhead(orderIds: readonly string[], productIds: readonly string[]): Promise<void>;
}

export interface HeldReservation {
  readonly reservation: Reservation;
  readonly products: Map<string, Product>;
}

export interface HeldStock {
  readonly reserved: number;
  readonly sold: number;
}

/** The last successful stock reconciliation, as every replica sees it. */
export interface ReconciliationResult {
  readonly accuracy: number;
  readonly products: number;
  readonly at: Date;
}

/** The reconciliation record the replicas share, so one of them reconciles per interval. */
export interface ReconciliationLog {
  /**
   * Takes this interval's turn to reconcile: false while another replica reconciles, or once one
   * has in this interval. The turn ends with the unit of work; a rollback gives it back.
   */
  claimTurn(intervalMs: number): Promise<boolean>;
  recordSuccess(result: Omit<ReconciliationResult, 'at'>): Promise<void>;
  lastSuccess(): Promise<ReconciliationResult | undefined>;
}

export interface InventoryUnitOfWork {
  readonly products: ProductRepository;
  readonly reservations: ReservationRepository;
  readonly reconciliations: ReconciliationLog;
  publish(...events: Envelope[]): Promise<void>;
  /** Runs once everything above has committed. */
  afterCommit(callback: () => void): void;
}

/** Reservation outcomes worth counting (the guide's stock reservation success rate). */
export interface StockMetrics {
  reservation(outcome: 'reserved' | 'insufficient'): void;
}

/** What the periodic reconciliation reports: the shared last success, or its own failure. */
export interface ReconciliationObserver {
  lastSuccess(result: ReconciliationResult): void;
  failed(error: unknown): void;
}

export interface TransactionRunner {
  run<T>(work: (uow: InventoryUnitOfWork) => Promise<T>): Promise<T>;
}
