import type { Registry } from 'prom-client';
import { BUSINESS_METRICS, counterOf } from '@shop/observability';
import type { CancellationKind, OrderMetrics } from '../../application/ports';

export function prometheusOrderMetrics(registry: Registry): OrderMetrics {
  const created = counterOf(registry, BUSINESS_METRICS.ordersCreated);
  const completed = counterOf(registry, BUSINESS_METRICS.ordersCompleted);
  const cancelled = counterOf<'reason'>(registry, BUSINESS_METRICS.ordersCancelled);
  return {
    orderPlaced: () => created.inc(),
    orderCompleted: () => completed.inc(),
    orderCancelled: (reason: CancellationKind) => cancelled.inc({ reason }),
  };
}
