/** `npm run synth`: regenerates k8s/ from the catalogs. The output is committed and checked by a test. */
import path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { AlertsChart } from './monitoring/alerts-chart';
import { DashboardsChart } from './monitoring/dashboards-chart';
import { MonitorsChart } from './monitoring/monitors-chart';
import { clusterSettings, type ClusterSettings } from './settings';

export const K8S_DIR = path.resolve(__dirname, '../../k8s');

export function synthMonitoring(
  outdir: string,
  settings: ClusterSettings = clusterSettings(),
): void {
  const app = new App({
    outdir,
    outputFileExtension: '.yaml',
    yamlOutputType: YamlOutputType.FILE_PER_CHART,
  });
  new AlertsChart(app, 'prometheus-rules', settings);
  new MonitorsChart(app, 'pod-monitors', settings);
  new DashboardsChart(app, 'grafana-dashboards', settings);
  app.synth();
}

if (require.main === module) {
  synthMonitoring(path.join(K8S_DIR, 'monitoring'));
  console.log(`synthesized ${path.relative(process.cwd(), K8S_DIR)}/monitoring`);
}
