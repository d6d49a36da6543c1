import type { Clock } from './clock';
import type { ProductCatalog } from './ports';

/**
 * Remembers for a while which products inventory confirmed exist, so most orders are placed
 * without a call to inventory-service (issue 15). Only existence is remembered, and only "yes":
 * an order line carries no price (StockReserved brings it), inventory never deletes a product, so
 * a remembered "exists" does not turn wrong; an id not confirmed is always asked again, so a
 * product added a second ago is accepted at once. The time to live bounds how long a "yes" is
 * trusted should products ever be retired.
 */
export class RememberedProducts implements ProductCatalog {
  /** Expiry per product; insertion order is expiry order, as every entry lives equally long. */
  private readonly confirmedUntil = new Map<string, number>();

  constructor(
    private readonly inventory: ProductCatalog,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    /** Bounds memory when ids keep changing; past it the soonest to expire is forgotten. */
    private readonly maxProducts = 10_000,
  ) {}

  async unknownProducts(productIds: readonly string[]): Promise<string[]> {
    const toAsk = productIds.filter((id) => !this.isConfirmed(id));
    if (toAsk.length === 0) return [];
    const unknown = await this.inventory.unknownProducts(toAsk);
    const missing = new Set(unknown);
    const until = this.clock.now().getTime() + this.ttlMs;
    for (const id of toAsk) if (!missing.has(id)) this.remember(id, until);
    return unknown;
  }

  private isConfirmed(productId: string): boolean {
    const until = this.confirmedUntil.get(productId);
    if (until === undefined) return false;
    if (until > this.clock.now().getTime()) return true;
    this.confirmedUntil.delete(productId);
    return false;
  }

  private remember(productId: string, until: number): void {
    this.confirmedUntil.delete(productId);
    this.confirmedUntil.set(productId, until);
    if (this.confirmedUntil.size > this.maxProducts) {
      const soonest = this.confirmedUntil.keys().next().value!;
      this.confirmedUntil.delete(soonest);
    }
  }
}
