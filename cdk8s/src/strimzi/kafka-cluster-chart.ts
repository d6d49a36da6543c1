import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';
import { JMX_EXPORTER_RULES } from './jmx-exporter-rules';
import { PROD_LIKE_KAFKA, type KafkaProfile, type Resources } from './kafka-profiles';
import { KAFKA_VERSION } from './versions';

/**
 * The Strimzi-managed cluster: three KRaft nodes (broker and controller), a TLS listener with
 * SCRAM-SHA-512 and ACLs, the guide's durability settings, the JMX exporter for broker metrics,
 * Kafka Exporter for consumer lag, and the operators that manage topics and users. Storage and
 * sizes come from the profile: production-like by default, `DEV_KAFKA` for `skaffold dev`.
 */
export class KafkaClusterChart extends Chart {
  constructor(
    scope: Construct,
    id: string,
    settings: ClusterSettings,
    profile: KafkaProfile = PROD_LIKE_KAFKA,
  ) {
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
        storage: profile.storage,
        resources: profile.nodeResources,
        ...(profile.heap && { jvmOptions: { '-Xms': profile.heap, '-Xmx': profile.heap } }),
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
        entityOperator: {
          topicOperator: { ...resourcesOf(profile.topicOperatorResources) },
          userOperator: { ...resourcesOf(profile.userOperatorResources) },
          ...(!profile.topicFinalizers && {
            template: {
              topicOperatorContainer: {
                env: [{ name: 'STRIMZI_USE_FINALIZERS', value: 'false' }],
              },
            },
          }),
        },
        kafkaExporter: {
          topicRegex: '.*',
          groupRegex: '.*',
          ...resourcesOf(profile.kafkaExporterResources),
        },
      },
    });
  }
}

const resourcesOf = (resources: Resources | undefined) => (resources ? { resources } : {});
