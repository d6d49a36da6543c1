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
import {
  CONSOLE_USER,
  OPERATOR_USER,
  SERVICE_NAMES,
  aclsOf,
  type ServiceName,
} from '@shop/contracts';
import {
  CHART,
  CHART_VARIANTS,
  DEV_VALUES,
  HELM,
  KUBE_VERSION,
  NON_DEFAULT,
  problemsOf,
  renderChart,
} from './helm';
import { kubeletEnv, type EnvVar } from './kubelet-env';

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
    // The four services, and the console where the values turn it on (dev).
    expect(docs.filter((d) => d.kind === 'Deployment')).toHaveLength(args === DEV_VALUES ? 5 : 4);
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

  describe.each([
    ['non-default values', NON_DEFAULT],
    ['dev values', DEV_VALUES],
  ])('matches the services it deploys with %s', (_, args) => {
    const deployments = render(args).filter((d) => d.kind === 'Deployment');

    it.each(SERVICE_NAMES)(
      '%s: sets exactly env vars its config reads, and every required one',
      (service) => {
        const deployment = deployments.find((d) => d.metadata.name === service)!;
        const container = deployment.spec.template.spec.containers[0]!;
        // A variable only composed into another ($(NAME) in its value) is the kubelet's to read.
        const composed = new Set(
          container.env.flatMap((e) =>
            [...(e.value ?? '').matchAll(/\$\(([A-Za-z_]\w*)\)/g)].map((m) => m[1]!),
          ),
        );
        const set = new Set<string>(
          container.env.map((e) => e.name).filter((name) => !composed.has(name)),
        );
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
      // Besides the services' users, the operator's, which no Deployment runs as, and the
      // console's, whether the values run the console or not.
      const names = new Set([...deployments.map((d) => d.metadata.name), CONSOLE_USER]);
      expect(users.sort()).toEqual([...names, OPERATOR_USER].sort());
    });
  });
});

interface PodContainer {
  name: string;
  image: string;
  args?: string[];
  env: EnvVar[];
}
interface DevObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  type?: string;
  stringData?: Record<string, string>;
  spec: {
    instances?: number;
    storage?: { size: string };
    resources?: { requests?: Record<string, string> };
    managed?: { roles: Array<{ name: string; login: boolean; passwordSecret: { name: string } }> };
    cluster?: { name: string };
    name?: string;
    owner?: string;
    template?: { spec: { initContainers?: PodContainer[]; containers: PodContainer[] } };
  };
}

describe("the dev values: a PostgreSQL of the release's own (CloudNativePG)", () => {
  const docs = renderChart<DevObject>(DEV_VALUES);
  const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const [cluster] = ofKind('Cluster');
  const databases = ofKind('Database');
  const secrets = ofKind('Secret');
  const secretNamed = (name: string) => secrets.find((s) => s.metadata.name === name);
  const roleOf = (service: ServiceName | 'ops-console') =>
    cluster!.spec.managed!.roles.find((r) => r.name === service.replaceAll('-', '_'));

  it('renders one small Cluster with explicit requests, a login role and a Database per service and the console', () => {
    expect(ofKind('Cluster')).toHaveLength(1);
    expect(cluster!.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster!.spec.instances).toBe(1);
    expect(cluster!.spec.storage!.size).toBe('1Gi');
    expect(Object.keys(cluster!.spec.resources!.requests!).sort()).toEqual(['cpu', 'memory']);
    expect(cluster!.spec.managed!.roles).toHaveLength(SERVICE_NAMES.length + 1);
    expect(databases).toHaveLength(SERVICE_NAMES.length + 1);
    for (const service of [...SERVICE_NAMES, 'ops-console' as const]) {
      const role = roleOf(service);
      expect(role).toMatchObject({ login: true });
      const database = databases.find((d) => d.spec.name === role!.name);
      expect(database!.apiVersion).toBe('postgresql.cnpg.io/v1');
      expect(database!.spec).toEqual({
        cluster: { name: cluster!.metadata.name },
        name: role!.name,
        owner: role!.name,
      });
    }
  });

  it.each(SERVICE_NAMES)(
    '%s: its role password Secret is basic-auth, username the role, a generated password',
    (service) => {
      const role = roleOf(service)!;
      const secret = secretNamed(role.passwordSecret.name);
      expect(secret!.type).toBe('kubernetes.io/basic-auth');
      expect(secret!.stringData!.username).toBe(role.name);
      expect(secret!.stringData!.password).toMatch(/^[A-Za-z0-9]{32}$/);
      // The operator applies a changed password at once only from a Secret labelled so.
      expect(secret!.metadata.labels!['cnpg.io/reload']).toBe('true');
    },
  );

  it.each(SERVICE_NAMES)(
    "%s: DATABASE_URL is its own role's on its own database, through the Cluster's -rw Service",
    (service) => {
      const deployment = ofKind('Deployment').find((d) => d.metadata.name === service)!;
      const env = deployment.spec.template!.spec.containers[0]!.env;
      const role = roleOf(service)!;
      const fromSecret = (name: string) => env.find((e) => e.name === name)?.valueFrom;
      expect(fromSecret('DATABASE_USER')).toEqual({
        secretKeyRef: { name: role.passwordSecret.name, key: 'username' },
      });
      expect(fromSecret('DATABASE_PASSWORD')).toEqual({
        secretKeyRef: { name: role.passwordSecret.name, key: 'password' },
      });
      expect(env.find((e) => e.name === 'DATABASE_URL')!.value).toBe(
        `postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@${cluster!.metadata.name}-rw.shop.svc:5432/${role.name}`,
      );

      // As the pod sees it: a URL the service's own config accepts, with the Secret's credentials.
      const url = kubeletEnv(env, secrets).DATABASE_URL!;
      expect(CONFIG_SCHEMAS[service].shape.DATABASE_URL!.safeParse(url).success).toBe(true);
      const parsed = new URL(url);
      expect({
        user: parsed.username,
        password: parsed.password,
        host: parsed.hostname,
        port: parsed.port,
        database: parsed.pathname,
      }).toEqual({
        user: role.name,
        password: secretNamed(role.passwordSecret.name)!.stringData!.password,
        host: `${cluster!.metadata.name}-rw.shop.svc`,
        port: '5432',
        database: `/${role.name}`,
      });
    },
  );

  it.each(SERVICE_NAMES)(
    '%s: waits in an init container until its database answers, with the same settings',
    (service) => {
      const pod = ofKind('Deployment').find((d) => d.metadata.name === service)!.spec.template!
        .spec;
      const [main] = pod.containers;
      expect(pod.initContainers).toHaveLength(1);
      const [init] = pod.initContainers!;
      expect(init!.image).toBe(main!.image);
      expect(init!.args).toEqual([
        '-e',
        fs.readFileSync(path.join(CHART, 'files/wait-for-database.js'), 'utf8'),
      ]);
      expect(init!.env).toEqual(main!.env.filter((e) => e.name.startsWith('DATABASE_')));
    },
  );

  it('generates the admin token Secret inventory-service reads, only where asked to', () => {
    const deployment = ofKind('Deployment').find((d) => d.metadata.name === 'inventory-service')!;
    const ref = deployment.spec.template!.spec.containers[0]!.env.find(
      (e) => e.name === 'ADMIN_TOKEN',
    )!.valueFrom!.secretKeyRef!;
    expect(secretNamed(ref.name)!.stringData![ref.key]).toMatch(/^[A-Za-z0-9]{32}$/);
    const defaults = renderChart<DevObject>(['--set', 'database.existingSecret=shop-db']);
    expect(defaults.filter((d) => d.kind === 'Secret')).toEqual([]);
  });

  it('leaves bring-your-own as it was, and refuses both at once', () => {
    for (const [, args] of CHART_VARIANTS.filter(([, a]) => a !== DEV_VALUES)) {
      const objects = renderChart<DevObject>(args);
      const kinds = objects.map((d) => d.apiVersion);
      expect(kinds.filter((v) => v.startsWith('postgresql.cnpg.io/'))).toEqual([]);
      const waiting = objects.filter(
        (d) => d.kind === 'Deployment' && d.spec.template!.spec.initContainers,
      );
      expect(waiting).toEqual([]);
    }
    expect(secrets.map((s) => s.metadata.name)).not.toContain('shop-database');
    const both = spawnSync(
      HELM,
      ['template', 'x', CHART, '--kube-version', KUBE_VERSION, ...DEV_VALUES].concat([
        '--set',
        'database.existingSecret=db',
      ]),
      { encoding: 'utf8' },
    );
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain(
      'database.cloudnativepg.enabled excludes database.existingSecret and database.urls',
    );
  });
});
