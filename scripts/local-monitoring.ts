import path from 'node:path';
import { LOCAL_HTTP_PORTS, SERVICE_NAMES } from '@shop/contracts';
import { LocalMonitoring, bootstrapServers, type StackConfig } from '@shop/devstack';
import { toolKafka } from './kafka-tool';

export const PROMETHEUS_PORT = 9090;
export const EXPORTER_PORT = 9308;

/** Prometheus and the Kafka metrics exporter for the system `npm start` runs. */
export function localMonitoring(config: StackConfig): LocalMonitoring {
  return new LocalMonitoring(toolKafka(bootstrapServers(config), 'local-monitoring'), {
    dir: path.join(config.stateDir, 'monitoring'),
    prometheusRuleFile: path.resolve(__dirname, '../k8s/monitoring/prometheus-rules.yaml'),
    prometheusPort: PROMETHEUS_PORT,
    exporterPort: EXPORTER_PORT,
    scrapeIntervalSeconds: 5,
  });
}

export function localTargets() {
  return SERVICE_NAMES.map((service) => ({
    service,
    address: `127.0.0.1:${LOCAL_HTTP_PORTS[service]}`,
  }));
}

export function printMonitoringUrls(log: (line: string) => void): void {
  log(
    `Prometheus: http://127.0.0.1:${PROMETHEUS_PORT}  (alerts: /alerts, rules: /rules, targets: /targets)`,
  );
  log(`Kafka metrics exporter: http://127.0.0.1:${EXPORTER_PORT}/metrics`);
}
