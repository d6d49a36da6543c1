import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';

/**
 * PodMonitors for the four services (their /metrics, with a `service` label from the pod's
 * app name, which the alerts group by), the Kafka brokers' JMX exporter and Kafka Exporter.
 */
export class MonitorsChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    const labels = { ...GENERATED_LABELS, release: settings.prometheusRelease };
    const podMonitor = (
      name: string,
      selector: Record<string, string>,
      port: string,
      relabelings: object[] = [],
    ) =>
      new ApiObject(this, name, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name, labels },
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [settings.namespace] },
          podMetricsEndpoints: [{ port, path: '/metrics', interval: '15s', relabelings }],
        },
      });

    podMonitor('kafka-shop-services', { 'app.kubernetes.io/part-of': 'kafka-shop' }, 'http', [
      {
        sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
        targetLabel: 'service',
      },
    ]);
    podMonitor(
      'kafka-shop-kafka-brokers',
      {
        'strimzi.io/cluster': settings.kafkaCluster,
        'strimzi.io/kind': 'Kafka',
        'strimzi.io/broker-role': 'true',
      },
      'tcp-prometheus',
    );
    podMonitor(
      'kafka-shop-kafka-exporter',
      {
        'strimzi.io/cluster': settings.kafkaCluster,
        'strimzi.io/kind': 'Kafka',
        'strimzi.io/name': `${settings.kafkaCluster}-kafka-exporter`,
      },
      'tcp-prometheus',
    );
  }
}
