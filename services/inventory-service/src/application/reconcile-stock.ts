import type { InventoryUnitOfWork, TransactionRunner } from './ports';

export interface StockReport {
  readonly ok: boolean;
  readonly products: number;
  /** Share of products with no violation: the guide's stock accuracy (1 when there are none). */
  readonly accuracy: number;
  readonly violations: string[];
}

/**
 * Checks the stock invariants: per product the equation holds and nothing is negative, and the
 * reserved and sold buckets match what the reservations say.
 */
export class ReconcileStock {
  constructor(private readonly transactions: TransactionRunner) {}

  run(): Promise<StockReport> {
    return this.transactions.run((uow) => this.check(uow));
  }

  /** The check inside a unit of work someone else runs (the periodic reconciliation's). */
  async check(uow: InventoryUnitOfWork): Promise<StockReport> {
    const products = await uow.products.allWithHeldStock();
    const violations: string[] = [];
    let inaccurate = 0;
    for (const { product: p, held } of products) {
      const found = p.violations();
      if (held.reserved !== p.snapshot.reserved) {
        found.push(
          `${p.id}: reserved is ${p.snapshot.reserved} but reservations hold ${held.reserved}`,
        );
      }
      if (held.sold !== p.snapshot.sold) {
        found.push(
          `${p.id}: sold is ${p.snapshot.sold} but deducted reservations hold ${held.sold}`,
        );
      }
      if (found.length > 0) inaccurate++;
      violations.push(...found);
    }
    const accuracy = products.length === 0 ? 1 : (products.length - inaccurate) / products.length;
    return { ok: violations.length === 0, products: products.length, accuracy, violations };
  }
}
