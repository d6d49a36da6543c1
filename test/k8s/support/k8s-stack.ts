import path from 'node:path';
import { cluster } from '@shop/devstack';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The project's own Kafka (three nodes, SCRAM and ACLs) and PostgreSQL for the chart on the local
 * node: started inside the node's network namespace (this suite runs there, `npm run test:k8s`),
 * listening on the node's bridge address so that pods reach them. Its own state folder: the
 * host's stacks run in another network namespace and must not be mistaken for this one.
 */
export const K8S_STACK_ENV = {
  DEVSTACK_HOST: cluster.NODE_IP,
  KAFKA_SECURE: 'true',
  DEVSTACK_DIR: path.join(ROOT, '.devstack-k8s'),
} as const;
