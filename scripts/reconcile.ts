/** `npm run reconcile`: checks the design's invariants across the local system; exit 1 names each violation. */
import { reconcile, type ReconciliationReport } from '@shop/reconciliation';
import { loadStackConfig, databaseUrl } from '@shop/devstack';
import { runTool, toolBrokers, toolKafka } from './kafka-tool';

export function printReport(
  report: ReconciliationReport,
  log: (line: string) => void = console.log,
): void {
  const orders = Object.entries(report.orders)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  log(`orders: ${orders || 'none'}`);
  log(
    `outbox backlog: ${Object.entries(report.outboxBacklog)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  const dlq = Object.entries(report.deadLetters);
  log(
    dlq.length === 0
      ? 'dead letters: none'
      : `dead letters: ${dlq.map(([t, n]) => `${t} ${n}`).join(', ')}`,
  );
  if (report.violations.length === 0) {
    log('reconciliation: 0 violations');
    return;
  }
  log(`reconciliation: ${report.violations.length} violation(s)`);
  for (const v of report.violations) log(`  [${v.check}] ${v.detail}`);
}

export async function reconcileLocal(): Promise<ReconciliationReport> {
  const config = loadStackConfig();
  const brokers = toolBrokers();
  return reconcile(
    {
      order: databaseUrl(config, 'order-service'),
      inventory: databaseUrl(config, 'inventory-service'),
      payment: databaseUrl(config, 'payment-service'),
      notification: databaseUrl(config, 'notification-service'),
    },
    toolKafka(brokers, 'reconcile'),
  );
}

if (require.main === module) {
  runTool('reconcile', toolBrokers(), async () => {
    const report = await reconcileLocal();
    printReport(report);
    return report.violations.length === 0 ? 0 : 1;
  });
}
