import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { K8S_DIR, readManifests } from '@shop/cdk8s';
import { SERVICE_NAMES, consumerGroupOf } from '@shop/contracts';
import { CHART, HELM, KUBE_VERSION, LAG_AUTOSCALING, problemsOf, renderChart } from './helm';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    replicas?: number;
    partitions?: number;
    scaleTargetRef?: { name: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers?: Array<{
      type: string;
      metadata: Record<string, string>;
      authenticationRef: { name: string };
    }>;
    env?: Array<{ parameter: string; name: string; containerName: string }>;
    secretTargetRef?: Array<{ parameter: string; name: string; key: string }>;
    template?: {
      spec: { containers: Array<{ name: string; env: Array<{ name: string; value?: string }> }> };
    };
  };
}

/** The fewest partitions of any topic the cluster gets: more consumers than that sit idle. */
const partitions = Math.min(
  ...readManifests(path.join(K8S_DIR, 'strimzi'))
    .filter((m) => m.kind === 'KafkaTopic')
    .map((m) => (m as unknown as Doc).spec.partitions!),
);

describe('autoscaling on consumer lag (KEDA)', () => {
  const docs = renderChart<Doc>(LAG_AUTOSCALING);
  const named = (kind: string, name: string) =>
    docs.find((d) => d.kind === kind && d.metadata.name === name);

  it('renders objects KEDA 2.20 CRDs accept, and no CPU autoscaler beside them', () => {
    expect(problemsOf(docs)).toEqual([]);
    expect(docs.filter((d) => d.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it.each(SERVICE_NAMES)(
    '%s: scales on its own consumer group, as its KafkaUser, up to the partition count',
    (service) => {
      const scaled = named('ScaledObject', service)!;
      expect(scaled.spec.scaleTargetRef).toEqual({ name: service });
      expect(scaled.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
      const [trigger, ...more] = scaled.spec.triggers!;
      expect(more).toEqual([]);
      expect(trigger!.type).toBe('kafka');
      expect(trigger!.metadata).toMatchObject({
        bootstrapServers: 'shop-kafka-kafka-bootstrap:9093',
        consumerGroup: consumerGroupOf(service),
        sasl: 'scram_sha512',
        tls: 'enable',
      });
      expect(Number(trigger!.metadata.lagThreshold)).toBeGreaterThan(0);

      // Logs in as the service: the Deployment's username, Strimzi's Secret for the password.
      const auth = named('TriggerAuthentication', trigger!.authenticationRef.name)!;
      const deployment = named('Deployment', service)!;
      const container = deployment.spec.template!.spec.containers[0]!;
      const [username] = auth.spec.env!;
      expect(username).toEqual({
        parameter: 'username',
        name: 'KAFKA_SASL_USERNAME',
        containerName: container.name,
      });
      expect(container.env.find((e) => e.name === username!.name)!.value).toBe(service);
      expect(auth.spec.secretTargetRef).toEqual([
        { parameter: 'password', name: service, key: 'password' },
        { parameter: 'ca', name: 'shop-kafka-cluster-ca-cert', key: 'ca.crt' },
      ]);
      // The ScaledObject owns the replica count; a fixed one would reset it on each upgrade.
      expect(deployment.spec.replicas).toBeUndefined();
    },
  );

  it('caps maxReplicas at the partition count in the schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as {
      definitions: {
        service: {
          properties: { lagAutoscaling: { properties: { maxReplicas: { maximum: number } } } };
        };
      };
    };
    expect(
      schema.definitions.service.properties.lagAutoscaling.properties.maxReplicas.maximum,
    ).toBe(partitions);
    const beyond = spawnSync(
      HELM,
      ['template', 'x', CHART, '--kube-version', KUBE_VERSION, ...LAG_AUTOSCALING].concat([
        '--set',
        `services.order-service.lagAutoscaling.maxReplicas=${partitions + 1}`,
      ]),
      { encoding: 'utf8' },
    );
    expect(beyond.status).not.toBe(0);
    expect(beyond.stderr).toMatch(
      new RegExp(
        `at '/services/order-service/lagAutoscaling/maxReplicas': maximum: got ${partitions + 1}, want ${partitions}`,
      ),
    );
  });

  it('refuses a CPU autoscaler and a lag autoscaler for the same service', () => {
    const both = spawnSync(
      HELM,
      ['template', 'x', CHART, '--kube-version', KUBE_VERSION, ...LAG_AUTOSCALING].concat([
        '--set',
        'services.inventory-service.autoscaling.enabled=true',
      ]),
      { encoding: 'utf8' },
    );
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain(
      'services.inventory-service: autoscaling.enabled (CPU) and lagAutoscaling.enabled (KEDA) both scale the same Deployment; turn one off',
    );
  });

  it('renders nothing of KEDA by default', () => {
    const defaults = renderChart<Doc>(['--set', 'database.existingSecret=shop-db']);
    expect(defaults.filter((d) => d.apiVersion.startsWith('keda.sh/'))).toEqual([]);
  });
});
