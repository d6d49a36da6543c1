import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { TOPIC_RETENTION_MS, allTopics } from '@shop/contracts';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';

export const TOPIC_PARTITIONS = 6;

/** One KafkaTopic per primary, retry and DLQ topic of the catalog. */
export class TopicsChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    for (const t of allTopics()) {
      new ApiObject(this, t.name, {
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaTopic',
        metadata: {
          name: t.name,
          labels: {
            ...GENERATED_LABELS,
            'strimzi.io/cluster': settings.kafkaCluster,
            'kafka-shop/topic-role': t.role,
          },
        },
        spec: {
          topicName: t.name,
          partitions: TOPIC_PARTITIONS,
          replicas: 3,
          config: { 'retention.ms': TOPIC_RETENTION_MS[t.role], 'min.insync.replicas': 2 },
        },
      });
    }
  }
}
