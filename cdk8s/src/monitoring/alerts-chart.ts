import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';
import { alertRuleGroups } from './alert-rules';

/** The PrometheusRule that kube-prometheus-stack loads (selected by its `release` label). */
export class AlertsChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    new ApiObject(this, 'rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: 'kafka-shop-alerts',
        labels: { ...GENERATED_LABELS, release: settings.prometheusRelease },
      },
      spec: { groups: alertRuleGroups(settings) },
    });
  }
}
