import type { Registry } from 'prom-client';
import { BUSINESS_METRICS, counterOf } from '@shop/observability';
import type { PaymentMetrics } from '../../application/ports';

export function prometheusPaymentMetrics(registry: Registry): PaymentMetrics {
  const payments = counterOf<'outcome'>(registry, BUSINESS_METRICS.payments);
  return { outcome: (outcome) => payments.inc({ outcome }) };
}
