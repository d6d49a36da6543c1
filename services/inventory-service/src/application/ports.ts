import type { Envelope } from '@shop/contracts';
import type { Product } from '../domain/product';
import type { Reservation } from '../domain/reservation';

export interface ProductRepository {
  findById(id: string): Promise<Product | undefined>;
  /** Loads and locks the products in a fixed order (by id), so concurrent reservations never deadlock. */
  findManyForUpdate(ids: readonly string[]): Promise<Map<string, Product>>;
  findMany(ids: readonly string[]): Promise<Product[]>;
  list(limit: number, offset: number): Promise<{ products: Product[]; total: number }>;
  all(): Promise<Product[]>;
  insert(product: Product): Promise<boolean>;
  update(products: Iterable<Product>): Promise<void>;
}

export interface ReservationRepository {
  findForUpdate(orderId: string): Promise<Reservation | undefined>;
  /** False when the order already has one (a second OrderCreated for it). */
  insert(reservation: Reservation): Promise<boolean>;
  update(reservation: Reservation): Promise<void>;
  /** Per product: stock held by RESERVED and sold by DEDUCTED reservations. */
  totalsByProduct(): Promise<Map<string, { reserved: number; sold: number }>>;
}

export interface InventoryUnitOfWork {
  readonly products: ProductRepository;
  readonly reservations: ReservationRepository;
  publish(...events: Envelope[]): Promise<void>;
  /** Runs once everything above has committed. */
  afterCommit(callback: () => void): void;
}

/** Reservation outcomes worth counting (the guide's stock reservation success rate). */
export interface StockMetrics {
  reservation(outcome: 'reserved' | 'insufficient'): void;
}

export interface TransactionRunner {
  run<T>(work: (uow: InventoryUnitOfWork) => Promise<T>): Promise<T>;
}
