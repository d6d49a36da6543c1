/**
 * Prints, as one kubectl List (JSON), what the chart needs on the local node besides the chart:
 * the Secrets Strimzi's User Operator and docs/kubernetes.md's set-up would make (test/k8s/support/chart.ts)
 * and the `shop-kafka-kafka-bootstrap` Service + EndpointSlice pointing at the project's own Kafka
 * (as test/k8s/helm-install.test.ts does). Run with the k8s stack's environment:
 *   DEVSTACK_HOST=10.250.0.1 KAFKA_SECURE=true DEVSTACK_DIR=$PWD/.devstack-k8s \
 *     npx tsx tools/skaffold/local-node-objects.ts | kubectl apply -f -
 */
import { localNodeObjects } from '../../test/k8s/support/chart';

const items = localNodeObjects('shop');
process.stdout.write(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) + '\n');
