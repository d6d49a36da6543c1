import type { Registry } from 'prom-client';
import { BUSINESS_METRICS, counterOf, scrapedGauge } from '@shop/observability';
import type { StockMetrics } from '../../application/ports';
import type { ReconcileStock } from '../../application/reconcile-stock';

/** Reservation outcomes, and stock accuracy measured by the reconciliation check at every scrape. */
export function prometheusStockMetrics(
  registry: Registry,
  reconcile: ReconcileStock,
): StockMetrics {
  const reservations = counterOf<'outcome'>(registry, BUSINESS_METRICS.stockReservations);
  scrapedGauge(
    registry,
    BUSINESS_METRICS.stockAccuracy,
    async () => (await reconcile.run()).accuracy,
  );
  return { reservation: (outcome) => reservations.inc({ outcome }) };
}
