import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { databaseUrl, loadStackConfig } from '@shop/devstack';
import { CHART, renderChart } from '../../../charts/kafka-shop/test/helm';

/** The images `npm run images` built: localhost/kafka-shop-<service>:<tag>. */
export const IMAGE_REPOSITORY = 'localhost/kafka-shop';
export const IMAGE_TAG =
  process.env.K8S_IMAGE_TAG ??
  (YAML.parse(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string })
    .appVersion;
export const imageOf = (service: ServiceName, tag = IMAGE_TAG) =>
  `${IMAGE_REPOSITORY}-${service}:${tag}`;

export const DATABASE_SECRET = 'kafka-shop-database';
export const ADMIN_TOKEN = 'k8s-test-admin-token';

/**
 * The values a user of the local node installs with: the project's SCRAM listener without TLS, the
 * local images (never pulled), one database Secret, and the demo catalog to order from.
 */
export function chartArgs(tag = IMAGE_TAG): string[] {
  return [
    '--set',
    'kafka.tls=false',
    '--set',
    `database.existingSecret=${DATABASE_SECRET}`,
    '--set',
    `image.repository=${IMAGE_REPOSITORY}`,
    '--set',
    `image.tag=${tag}`,
    '--set',
    'image.pullPolicy=Never',
    '--set-string',
    'services.inventory-service.env.SEED_DEMO_CATALOG=true',
  ];
}

/** Secrets exactly as Strimzi's User Operator and docs/kubernetes.md's set-up make them, by name and key. */
export function secretsFor(
  databases: Record<ServiceName, string> = stackDatabaseUrls(),
): Record<string, Record<string, string>> {
  const security = loadStackConfig().kafka.security;
  if (!security) throw new Error('the k8s stack runs with SCRAM (KAFKA_SECURE=true)');
  const users = Object.fromEntries(
    SERVICE_NAMES.map((s) => {
      const { username, password } = security.users[s];
      return [
        s,
        {
          password,
          'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`,
        },
      ];
    }),
  );
  return {
    ...users,
    [DATABASE_SECRET]: databases,
    'inventory-admin-token': { ADMIN_TOKEN },
  };
}

export function stackDatabaseUrls(): Record<ServiceName, string> {
  const config = loadStackConfig();
  return Object.fromEntries(SERVICE_NAMES.map((s) => [s, databaseUrl(config, s)])) as Record<
    ServiceName,
    string
  >;
}

/**
 * Everything the chart needs on the local node besides itself: the Secrets above, and the
 * `shop-kafka-kafka-bootstrap` Service Strimzi would make, here with an EndpointSlice to the
 * project's own broker on the node's bridge address.
 */
export function localNodeObjects(namespace: string): object[] {
  const config = loadStackConfig();
  const name = 'shop-kafka-kafka-bootstrap';
  const brokerPort = config.kafka.nodes[0]!.brokerPort;
  return [
    ...Object.entries(secretsFor()).map(([secret, data]) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secret, namespace },
      stringData: data,
    })),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { ports: [{ name: 'tcp-scram', port: 9093, targetPort: brokerPort }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-local`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'tcp-scram', port: brokerPort }],
      endpoints: [{ addresses: [config.host] }],
    },
  ];
}

export interface PodSpec {
  securityContext: { runAsUser: number; runAsGroup: number; runAsNonRoot: boolean };
  containers: Array<{
    name: string;
    image: string;
    env: Array<{
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef: { name: string; key: string } };
    }>;
    securityContext: {
      readOnlyRootFilesystem: boolean;
      allowPrivilegeEscalation: boolean;
      capabilities: { drop: string[] };
    };
    volumeMounts: Array<{ name: string; mountPath: string }>;
  }>;
  volumes: Array<{ name: string; emptyDir?: object }>;
}

/** Each service's pod spec as the chart renders it with these values. */
export function renderedPods(args = chartArgs()): Map<ServiceName, PodSpec> {
  const docs = renderChart<{
    kind: string;
    metadata: { name: ServiceName };
    spec: { template: { spec: PodSpec } };
  }>(args);
  return new Map(
    docs.filter((d) => d.kind === 'Deployment').map((d) => [d.metadata.name, d.spec.template.spec]),
  );
}
