import { Gauge, type Registry } from 'prom-client';
import { BUSINESS_METRICS, counterOf, type Logger, type MetricSpec } from '@shop/observability';
import type { ReconciliationObserver } from '../../application/ports';

/**
 * Stock accuracy and the reconciliation's own health. Both gauges stay out of the exposition until
 * a reconciliation has succeeded: a value of 0 before then would read as "no product reconciles".
 */
export function prometheusReconciliationObserver(
  registry: Registry,
  logger: Logger,
): ReconciliationObserver {
  const accuracy = absentUntilSet(registry, BUSINESS_METRICS.stockAccuracy);
  const lastSuccess = absentUntilSet(registry, BUSINESS_METRICS.stockReconciliationLastSuccess);
  const failures = counterOf(registry, BUSINESS_METRICS.stockReconciliationFailures);
  return {
    lastSuccess(result) {
      accuracy.set(result.accuracy);
      lastSuccess.set(result.at.getTime() / 1000);
    },
    failed(error) {
      failures.inc();
      logger.warn({ err: error }, 'stock reconciliation failed; the last success stays reported');
    },
  };
}

/** prom-client starts a gauge without labels at 0; removing that sample leaves it absent. */
function absentUntilSet(registry: Registry, spec: MetricSpec): Gauge {
  const gauge = new Gauge({ name: spec.name, help: spec.help, registers: [registry] });
  gauge.remove();
  return gauge;
}
