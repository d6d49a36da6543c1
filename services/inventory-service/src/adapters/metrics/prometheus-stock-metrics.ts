import type { Registry } from 'prom-client';
import { BUSINESS_METRICS, counterOf } from '@shop/observability';
import type { StockMetrics } from '../../application/ports';

/** Reservation outcomes (the guide's stock reservation success rate). */
export function prometheusStockMetrics(registry: Registry): StockMetrics {
  const reservations = counterOf<'outcome'>(registry, BUSINESS_METRICS.stockReservations);
  return { reservation: (outcome) => reservations.inc({ outcome }) };
}
