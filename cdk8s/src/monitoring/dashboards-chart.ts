import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';
import { buildDashboard } from './dashboard';

/** The dashboard as a ConfigMap that the Grafana sidecar of kube-prometheus-stack picks up. */
export class DashboardsChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    new ApiObject(this, 'overview', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kafka-shop-dashboard',
        labels: { ...GENERATED_LABELS, grafana_dashboard: '1' },
      },
      data: { 'kafka-shop-overview.json': JSON.stringify(buildDashboard(), null, 2) },
    });
  }
}
