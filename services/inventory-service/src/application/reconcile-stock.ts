import type { TransactionRunner } from './ports';

export interface StockReport {
  readonly ok: boolean;
  readonly products: number;
  readonly violations: string[];
}

/**
 * Checks the stock invariants: per product the equation holds and nothing is negative, and the
 * reserved and sold buckets match what the reservations say.
 */
export class ReconcileStock {
  constructor(private readonly transactions: TransactionRunner) {}

  run(): Promise<StockReport> {
    return this.transactions.run(async (uow) => {
      const products = await uow.products.all();
      const totals = await uow.reservations.totalsByProduct();
      const violations = products.flatMap((p) => p.violations());
      for (const p of products) {
        const held = totals.get(p.id) ?? { reserved: 0, sold: 0 };
        if (held.reserved !== p.snapshot.reserved) {
          violations.push(
            `${p.id}: reserved is ${p.snapshot.reserved} but reservations hold ${held.reserved}`,
          );
        }
        if (held.sold !== p.snapshot.sold) {
          violations.push(
            `${p.id}: sold is ${p.snapshot.sold} but deducted reservations hold ${held.sold}`,
          );
        }
      }
      return { ok: violations.length === 0, products: products.length, violations };
    });
  }
}
