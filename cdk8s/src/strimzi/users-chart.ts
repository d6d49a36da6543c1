import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  CONSOLE_USER,
  OPERATOR_USER,
  SERVICE_NAMES,
  aclsOf,
  consoleAcls,
  operatorAcls,
  type Acl,
} from '@shop/contracts';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';

/**
 * One KafkaUser per service, one for the person who reviews and replays dead letters
 * (`kafka-shop-operator`), and one for the operations console (`ops-console`): SCRAM-SHA-512
 * credentials and least-privilege ACLs from the catalog. The console's user is there whether the
 * chart runs the console or not, as the operator's is: a Secret nobody mounts grants nothing.
 */
export class UsersChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    const user = (name: string, acls: Acl[]) =>
      new ApiObject(this, name, {
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaUser',
        metadata: {
          name,
          labels: { ...GENERATED_LABELS, 'strimzi.io/cluster': settings.kafkaCluster },
        },
        spec: {
          authentication: { type: 'scram-sha-512' },
          authorization: { type: 'simple', acls },
        },
      });
    for (const service of SERVICE_NAMES) user(service, aclsOf(service));
    user(OPERATOR_USER, operatorAcls());
    user(CONSOLE_USER, consoleAcls());
  }
}
