import type { ReconciliationObserver, TransactionRunner } from './ports';
import type { ReconcileStock } from './reconcile-stock';

export type ReconciliationRound = 'reconciled' | 'not-our-turn' | 'failed';

/**
 * Stock reconciliation as a periodic job instead of a scrape-time check: each replica calls
 * round() every interval, one of them reconciles per interval, and every replica reports the
 * last success they share. A failed round reports the failure and leaves the last success as it
 * was, so a broken check never reads as inaccurate stock.
 */
export class PeriodicReconciliation {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reconcile: ReconcileStock,
    private readonly observer: ReconciliationObserver,
    private readonly intervalMs: number,
  ) {}

  async round(): Promise<ReconciliationRound> {
    try {
      const { ours, last } = await this.transactions.run(async (uow) => {
        const turn = await uow.reconciliations.claimTurn(this.intervalMs);
        if (turn) {
          const report = await this.reconcile.check(uow);
          await uow.reconciliations.recordSuccess({
            accuracy: report.accuracy,
            products: report.products,
          });
        }
        return { ours: turn, last: await uow.reconciliations.lastSuccess() };
      });
      if (last) this.observer.lastSuccess(last);
      return ours ? 'reconciled' : 'not-our-turn';
    } catch (error) {
      this.observer.failed(error);
      return 'failed';
    }
  }
}
