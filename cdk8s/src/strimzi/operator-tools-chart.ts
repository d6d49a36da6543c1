import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { OPERATOR_USER } from '@shop/contracts';
import { GENERATED_LABELS, type ClusterSettings } from '../settings';

export const OPERATOR_TOOLS_JOB = `${OPERATOR_USER}-tools`;

/** Where the tools are copied to in the pod and the cluster CA is mounted. */
const TOOLS_DIR = '/tools';
const CA_DIR = '/etc/kafka-ca';
/** One review session: the pod sleeps this long, then the Job ends. */
const SESSION_SECONDS = 4 * 3600;

/**
 * A pod (of a Job) to run `npm run dlq` and `npm run lag` in, as the operator's KafkaUser. A
 * laptop cannot: the brokers advertise their in-cluster names (`<cluster>-dual-role-<n>.<cluster>-kafka-brokers`),
 * which a `kubectl port-forward` to the bootstrap service does not reach. The tools, bundled into
 * one file each, are copied in with `kubectl cp` (docs/kubernetes.md); credentials come from the
 * Secrets Strimzi writes for the KafkaUser and the cluster CA, in the variables the tools read.
 */
export class OperatorToolsChart extends Chart {
  constructor(scope: Construct, id: string, settings: ClusterSettings) {
    super(scope, id, { namespace: settings.namespace });
    const cluster = settings.kafkaCluster;
    // A Job, not a bare Pod: a review session ends by its deadline and is cleaned up after.
    new ApiObject(this, 'job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: OPERATOR_TOOLS_JOB, labels: GENERATED_LABELS },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: SESSION_SECONDS,
        ttlSecondsAfterFinished: 600,
        template: {
          metadata: { labels: GENERATED_LABELS },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'tools',
                image: 'node:22-alpine',
                command: ['sleep', String(SESSION_SECONDS)],
                workingDir: TOOLS_DIR,
                env: [
                  { name: 'KAFKA_BROKERS', value: `${cluster}-kafka-bootstrap:9093` },
                  { name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' },
                  { name: 'KAFKA_SASL_USERNAME', value: OPERATOR_USER },
                  {
                    name: 'KAFKA_SASL_PASSWORD',
                    valueFrom: { secretKeyRef: { name: OPERATOR_USER, key: 'password' } },
                  },
                  { name: 'KAFKA_SSL_CA_FILE', value: `${CA_DIR}/ca.crt` },
                ],
                resources: {
                  requests: { cpu: '50m', memory: '128Mi' },
                  limits: { memory: '256Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'tools', mountPath: TOOLS_DIR },
                  { name: 'cluster-ca', mountPath: CA_DIR, readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'tools', emptyDir: { sizeLimit: '64Mi' } },
              { name: 'cluster-ca', secret: { secretName: `${cluster}-cluster-ca-cert` } },
            ],
          },
        },
      },
    });
  }
}
