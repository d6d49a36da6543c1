/**
 * `npm run synth`: regenerates k8s/strimzi, k8s/strimzi-dev, k8s/operator-tools and k8s/monitoring
 * from the catalogs.
 * The output is committed and checked by a test.
 */
import path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { AlertsChart } from './monitoring/alerts-chart';
import { DashboardsChart } from './monitoring/dashboards-chart';
import { MonitorsChart } from './monitoring/monitors-chart';
import { clusterSettings, type ClusterSettings } from './settings';
import { KafkaClusterChart } from './strimzi/kafka-cluster-chart';
import { DEV_KAFKA } from './strimzi/kafka-profiles';
import { OperatorToolsChart } from './strimzi/operator-tools-chart';
import { TopicsChart } from './strimzi/topics-chart';
import { UsersChart } from './strimzi/users-chart';

export const K8S_DIR = path.resolve(__dirname, '../../k8s');

type ChartClass = new (app: App, id: string, settings: ClusterSettings) => unknown;

function synth(
  outdir: string,
  settings: ClusterSettings,
  charts: Record<string, ChartClass>,
): void {
  const app = newApp(outdir);
  for (const [id, Chart] of Object.entries(charts)) new Chart(app, id, settings);
  app.synth();
}

const newApp = (outdir: string) =>
  new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });

export function synthStrimzi(outdir: string, settings: ClusterSettings = clusterSettings()): void {
  synth(outdir, settings, {
    'kafka-cluster': KafkaClusterChart,
    'kafka-topics': TopicsChart,
    'kafka-users': UsersChart,
  });
}

/**
 * The Kafka cluster of `skaffold dev` alone (DEV_KAFKA: its storage goes with it, sized for a
 * laptop); the dev profile takes its topics and users from k8s/strimzi.
 */
export function synthStrimziDev(
  outdir: string,
  settings: ClusterSettings = clusterSettings(),
): void {
  const app = newApp(outdir);
  new KafkaClusterChart(app, 'kafka-cluster', settings, DEV_KAFKA);
  app.synth();
}

/** The Job whose pod an operator runs the DLQ and lag tools in (k8s/operator-tools). */
export function synthOperatorTools(
  outdir: string,
  settings: ClusterSettings = clusterSettings(),
): void {
  synth(outdir, settings, { 'operator-tools': OperatorToolsChart });
}

export function synthMonitoring(
  outdir: string,
  settings: ClusterSettings = clusterSettings(),
): void {
  synth(outdir, settings, {
    'prometheus-rules': AlertsChart,
    'pod-monitors': MonitorsChart,
    'grafana-dashboards': DashboardsChart,
  });
}

if (require.main === module) {
  synthStrimzi(path.join(K8S_DIR, 'strimzi'));
  synthStrimziDev(path.join(K8S_DIR, 'strimzi-dev'));
  synthOperatorTools(path.join(K8S_DIR, 'operator-tools'));
  synthMonitoring(path.join(K8S_DIR, 'monitoring'));
  console.log(
    `synthesized ${path.relative(process.cwd(), K8S_DIR)}/strimzi, /strimzi-dev, /operator-tools and /monitoring`,
  );
}
