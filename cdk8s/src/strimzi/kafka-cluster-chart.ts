import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';
import { JMX_EXPORTER_RULES } from './jmx-exporter-rules';
import { KAFKA_VERSION } from './versions';

/**
 * The Strimzi-managed cluster: three KRaft nodes (broker and controller), a TLS listener with
 * SCRAM-SHA-512 and ACLs, the guide's durability settings, the JMX exporter for broker metrics,
 * Kafka Exporter for consumer lag, and the operators that manage topics and users.
 */
export class KafkaClusterChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    const cluster = settings.kafkaCluster;
    const metricsConfigMap = `${cluster}-metrics`;

    new ApiObject(this, 'metrics', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: metricsConfigMap, labels: GENERATED_LABELS },
      data: { 'kafka-metrics-config.yml': JMX_EXPORTER_RULES },
    });

    new ApiObject(this, 'node-pool', {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaNodePool',
      metadata: {
        name: 'dual-role',
        labels: { ...GENERATED_LABELS, 'strimzi.io/cluster': cluster },
      },
      spec: {
        replicas: 3,
        roles: ['controller', 'broker'],
        storage: {
          type: 'jbod',
          volumes: [
            {
              id: 0,
              type: 'persistent-claim',
              size: '20Gi',
              deleteClaim: false,
              kraftMetadata: 'shared',
            },
          ],
        },
        resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } },
      },
    });

    new ApiObject(this, 'kafka', {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'Kafka',
      metadata: { name: cluster, labels: GENERATED_LABELS },
      spec: {
        kafka: {
          version: KAFKA_VERSION,
          listeners: [
            {
              name: 'tls',
              port: 9093,
              type: 'internal',
              tls: true,
              authentication: { type: 'scram-sha-512' },
            },
          ],
          authorization: { type: 'simple' },
          config: {
            'default.replication.factor': 3,
            'min.insync.replicas': 2,
            'offsets.topic.replication.factor': 3,
            'transaction.state.log.replication.factor': 3,
            'transaction.state.log.min.isr': 2,
            'auto.create.topics.enable': false,
          },
          metricsConfig: {
            type: 'jmxPrometheusExporter',
            valueFrom: {
              configMapKeyRef: { name: metricsConfigMap, key: 'kafka-metrics-config.yml' },
            },
          },
        },
        entityOperator: { topicOperator: {}, userOperator: {} },
        kafkaExporter: { topicRegex: '.*', groupRegex: '.*' },
      },
    });
  }
}
