import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { InventoryConfigSchema } from '@shop/inventory-service';
import { NotificationConfigSchema } from '@shop/notification-service';
import { OrderConfigSchema } from '@shop/order-service';
import { PaymentConfigSchema } from '@shop/payment-service';
import { K8S_DIR } from '@shop/cdk8s';
import { SERVICE_NAMES, aclsOf, type ServiceName } from '@shop/contracts';
import {
  CHART,
  CHART_VARIANTS,
  HELM,
  KUBE_VERSION,
  NON_DEFAULT,
  problemsOf,
  renderChart,
} from './helm';

const CONFIG_SCHEMAS: Record<ServiceName, z.ZodObject> = {
  'order-service': OrderConfigSchema,
  'inventory-service': InventoryConfigSchema,
  'payment-service': PaymentConfigSchema,
  'notification-service': NotificationConfigSchema,
};

interface Container {
  env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  ports: Array<{ containerPort: number }>;
  livenessProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  securityContext: { readOnlyRootFilesystem: boolean };
}
interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    template: { spec: { containers: Container[]; securityContext: { runAsNonRoot: boolean } } };
  };
}

const render = (args: string[]) => renderChart<Doc>(args);

describe('the Helm chart', () => {
  const variants = CHART_VARIANTS;

  it.each(variants)('passes helm lint --strict with %s', (_, args) => {
    const lint = spawnSync(
      HELM,
      ['lint', '--strict', CHART, '--kube-version', KUBE_VERSION, ...args],
      { encoding: 'utf8' },
    );
    expect(`${lint.stdout}${lint.stderr}`).toContain('0 chart(s) failed');
    expect(lint.status).toBe(0);
  });

  it('refuses values its schema forbids, and a missing database', () => {
    const bad = spawnSync(
      HELM,
      [
        'template',
        'x',
        CHART,
        '--kube-version',
        KUBE_VERSION,
        '--set',
        'database.existingSecret=db',
        '--set',
        'httpPort=0',
      ],
      { encoding: 'utf8' },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/httpPort/);
    const noDb = spawnSync(HELM, ['template', 'x', CHART, '--kube-version', KUBE_VERSION], {
      encoding: 'utf8',
    });
    expect(noDb.stderr).toMatch(
      /database\.urls\.[a-z-]+-service is required when database.existingSecret is empty/,
    );
  });

  it.each(variants)('renders only valid Kubernetes objects with %s', (_, args) => {
    const docs = render(args);
    expect(problemsOf(docs)).toEqual([]);
    expect(docs.filter((d) => d.kind === 'Deployment')).toHaveLength(4);
  });

  it('trusts the cluster CA on a TLS listener, and mounts nothing of it without TLS', () => {
    const caOf = (args: string[]) =>
      render(args)
        .filter((d) => d.kind === 'Deployment')
        .map((d) => {
          const pod = d.spec.template.spec as unknown as {
            containers: Array<Container & { volumeMounts: Array<{ mountPath: string }> }>;
            volumes: Array<{ name: string; secret?: { secretName: string } }>;
          };
          const container = pod.containers[0]!;
          return {
            file: container.env.find((e) => e.name === 'KAFKA_SSL_CA_FILE')?.value,
            mounted: container.volumeMounts.some((m) => m.mountPath === '/etc/kafka-ca'),
            secret: pod.volumes.find((v) => v.name === 'kafka-ca')?.secret?.secretName,
          };
        });
    for (const ca of caOf(NON_DEFAULT)) {
      expect(ca).toEqual({
        file: '/etc/kafka-ca/ca.crt',
        mounted: true,
        secret: 'shop-kafka-cluster-ca-cert',
      });
    }
    for (const ca of caOf([...NON_DEFAULT, '--set', 'kafka.tls=false'])) {
      expect(ca).toEqual({ file: undefined, mounted: false, secret: undefined });
    }
  });

  describe('matches the services it deploys', () => {
    const deployments = render(NON_DEFAULT).filter((d) => d.kind === 'Deployment');

    it.each(SERVICE_NAMES)(
      '%s: sets exactly env vars its config reads, and every required one',
      (service) => {
        const deployment = deployments.find((d) => d.metadata.name === service)!;
        const container = deployment.spec.template.spec.containers[0]!;
        const set = new Set<string>(container.env.map((e) => e.name));
        const shape = CONFIG_SCHEMAS[service].shape as Record<string, z.ZodType>;
        for (const name of set) expect(Object.keys(shape)).toContain(name);
        const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
        for (const name of required) expect([...set]).toContain(name);
      },
    );

    it.each(SERVICE_NAMES)(
      '%s: listens, probes and authenticates where the code expects',
      (service) => {
        const deployment = deployments.find((d) => d.metadata.name === service)!;
        const container = deployment.spec.template.spec.containers[0]!;
        const env = Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
        expect(container.ports[0]!.containerPort).toBe(Number(env.HTTP_PORT));
        expect(container.livenessProbe.httpGet.path).toBe('/health/live');
        expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
        // The Strimzi KafkaUser of the same name holds the password and has the service's ACLs.
        expect(env.KAFKA_SASL_USERNAME).toBe(service);
        expect(env.KAFKA_SASL_PASSWORD).toEqual({
          secretKeyRef: { name: service, key: 'password' },
        });
        expect(aclsOf(service).length).toBeGreaterThan(0);
        expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
        expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      },
    );

    it('names the users the generated KafkaUsers create', () => {
      const users = YAML.parseAllDocuments(
        fs.readFileSync(path.join(K8S_DIR, 'strimzi/kafka-users.yaml'), 'utf8'),
      ).map((d) => (d.toJSON() as Doc).metadata.name);
      expect(users.sort()).toEqual(deployments.map((d) => d.metadata.name).sort());
    });
  });
});
