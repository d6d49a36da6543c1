import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { SERVICE_NAMES, aclsOf } from '@shop/contracts';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';

/** One KafkaUser per service: SCRAM-SHA-512 credentials and least-privilege ACLs from the catalog. */
export class UsersChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    for (const service of SERVICE_NAMES) {
      new ApiObject(this, service, {
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaUser',
        metadata: {
          name: service,
          labels: { ...GENERATED_LABELS, 'strimzi.io/cluster': settings.kafkaCluster },
        },
        spec: {
          authentication: { type: 'scram-sha-512' },
          authorization: { type: 'simple', acls: aclsOf(service) },
        },
      });
    }
  }
}
