import { Gauge, type Registry } from 'prom-client';
import { SAGA_DEADLINE_METRICS, counterOf, type Logger } from '@shop/observability';
import type { ActiveStatus, DeadlineMetrics } from '../../application/ports';

export function prometheusDeadlineMetrics(registry: Registry, logger: Logger): DeadlineMetrics {
  const passed = counterOf<'status'>(registry, SAGA_DEADLINE_METRICS.deadlinePassed);
  const failures = counterOf(registry, SAGA_DEADLINE_METRICS.sweepFailures);
  const spec = SAGA_DEADLINE_METRICS.stuck;
  // Absent until the first sweep has counted: a 0 before then would claim nothing is stuck.
  const stuck = new Gauge<'status'>({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    registers: [registry],
  });
  return {
    deadlinePassed: (status: ActiveStatus) => passed.inc({ status }),
    overdue(counts) {
      for (const [status, orders] of Object.entries(counts)) stuck.set({ status }, orders);
    },
    sweepFailed(error) {
      failures.inc();
      logger.warn({ err: error }, 'saga deadline sweep failed; it runs again at its interval');
    },
  };
}
