import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';

/**
 * PodMonitors for the Kafka brokers' JMX exporter, Kafka Exporter and the Strimzi cluster
 * operator (its CA expiry gauge; the operator's Helm chart ships no monitor). The services'
 * PodMonitor belongs to the Helm chart (podMonitor.enabled), which knows its release's pod
 * labels: one monitor per pod, or Prometheus scrapes it twice and every rate and sum doubles.
 */
export class MonitorsChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    const labels = { ...GENERATED_LABELS, release: settings.prometheusRelease };
    const podMonitor = (
      name: string,
      selector: Record<string, string>,
      port: string,
      namespace = settings.namespace,
    ) =>
      new ApiObject(this, name, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name, labels },
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [namespace] },
          podMetricsEndpoints: [{ port, path: '/metrics', interval: '15s' }],
        },
      });

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
    podMonitor(
      'kafka-shop-strimzi-cluster-operator',
      { 'strimzi.io/kind': 'cluster-operator' },
      'http',
      settings.strimziNamespace,
    );
  }
}
