import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import type { z } from 'zod';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { InventoryConfigSchema } from '@shop/inventory-service';
import { NotificationConfigSchema } from '@shop/notification-service';
import { OrderConfigSchema } from '@shop/order-service';
import { PaymentConfigSchema } from '@shop/payment-service';
import { K8S_DIR } from '@shop/cdk8s';
import { CrdSchemas } from '@shop/cdk8s';
import { SERVICE_NAMES, aclsOf, type ServiceName } from '@shop/contracts';

const ROOT = path.resolve(__dirname, '../../..');
const CHART = path.join(ROOT, 'charts/kafka-shop');
const SHARED = path.resolve(ROOT, '../shared');
const HELM = findHelm();

const CONFIG_SCHEMAS: Record<ServiceName, z.ZodObject> = {
  'order-service': OrderConfigSchema,
  'inventory-service': InventoryConfigSchema,
  'payment-service': PaymentConfigSchema,
  'notification-service': NotificationConfigSchema,
};

const NON_DEFAULT = [
  '--set',
  'database.urls.order-service=postgres://o@db/order',
  '--set',
  'database.urls.inventory-service=postgres://i@db/inventory',
  '--set',
  'database.urls.payment-service=postgres://p@db/payment',
  '--set',
  'database.urls.notification-service=postgres://n@db/notification',
  '--set',
  'services.order-service.autoscaling.enabled=true',
  '--set',
  'podMonitor.enabled=true',
  '--set',
  'otel.endpoint=http://otel-collector:4318',
  '--set',
  'image.tag=1.2.3',
];

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

function findHelm(): string {
  const gopath =
    spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).stdout?.trim() ||
    path.join(os.homedir(), 'go');
  const candidates = [process.env.HELM, 'helm', path.join(gopath, 'bin/helm')].filter(
    Boolean,
  ) as string[];
  for (const c of candidates) if (spawnSync(c, ['version', '--short']).status === 0) return c;
  throw new Error(
    'helm not found: go install helm.sh/helm/v3/cmd/helm@v3.22.0 (npm test does it through scripts/ensure-tools.sh)',
  );
}

function render(args: string[]): Doc[] {
  const out = execFileSync(
    HELM,
    ['template', 'shop', CHART, '--namespace', 'shop', '--kube-version', '1.31.0', ...args],
    { encoding: 'utf8' },
  );
  return YAML.parseAllDocuments(out)
    .map((d) => d.toJSON() as Doc)
    .filter(Boolean);
}

describe('the Helm chart', () => {
  const variants: Array<[string, string[]]> = [
    ['default values', ['--set', 'database.existingSecret=shop-db']],
    ['non-default values', NON_DEFAULT],
  ];

  it.each(variants)('passes helm lint --strict with %s', (_, args) => {
    const lint = spawnSync(HELM, ['lint', '--strict', CHART, '--kube-version', '1.31.0', ...args], {
      encoding: 'utf8',
    });
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
        '1.31.0',
        '--set',
        'database.existingSecret=db',
        '--set',
        'httpPort=0',
      ],
      { encoding: 'utf8' },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/httpPort/);
    const noDb = spawnSync(HELM, ['template', 'x', CHART, '--kube-version', '1.31.0'], {
      encoding: 'utf8',
    });
    expect(noDb.stderr).toMatch(
      /database\.urls\.[a-z-]+-service is required when database.existingSecret is empty/,
    );
  });

  it.each(variants)('renders only valid Kubernetes objects with %s', (_, args) => {
    const crds = new CrdSchemas([path.join(SHARED, 'crds/prometheus-operator')]);
    const models: Record<string, new (data: never) => { validate(): void }> = {
      'apps/v1/Deployment': Deployment,
      'v1/Service': Service,
      'v1/ServiceAccount': ServiceAccount,
      'v1/Secret': Secret,
      'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
      'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
    };
    const docs = render(args);
    for (const doc of docs) {
      const Model = models[`${doc.apiVersion}/${doc.kind}`];
      if (Model) expect(() => new Model(doc as never).validate()).not.toThrow();
      else expect(crds.validate(doc as never)).toEqual([]);
    }
    expect(docs.filter((d) => d.kind === 'Deployment')).toHaveLength(4);
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

describe('skaffold.yaml', () => {
  it('is valid against the skaffold v4beta14 schema', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(SHARED, 'schemas/skaffold/v4beta14.json'), 'utf8'),
    );
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const config = YAML.parse(fs.readFileSync(path.join(ROOT, 'skaffold.yaml'), 'utf8'));
    const valid = validate(config);
    expect(valid ? [] : validate.errors).toEqual([]);
    expect(
      config.build.artifacts
        .map((a: { docker: { buildArgs: { SERVICE: string } } }) => a.docker.buildArgs.SERVICE)
        .sort(),
    ).toEqual([...SERVICE_NAMES].sort());
  });
});
