import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { K8S_DIR } from '@shop/cdk8s';
import {
  CONSOLE_USER,
  PRIMARY_TOPICS,
  SERVICE_NAMES,
  allTopics,
  allows,
  consoleAcls,
  serviceSettingOf,
  consumerGroupOf,
  dlqTopicOf,
  retryTopicOf,
  type Acl,
} from '@shop/contracts';
import { ConsoleConfigSchema } from '@shop/ops-console';
import { CHART_VARIANTS, DEV_VALUES, PROD_LIKE_VALUES, problemsOf, renderChart } from './helm';
import { kubeletEnv, type EnvVar } from './kubelet-env';
import { builtImage, renderAs } from './skaffold-config';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: Record<string, string>;
    ingress?: Array<{ from?: unknown[] }>;
    egress?: Array<{ to?: Array<{ podSelector?: { matchLabels: Record<string, string> } }> }>;
    template?: {
      spec: {
        initContainers?: Array<{ env: EnvVar[] }>;
        containers: Array<{
          env: EnvVar[];
          ports: Array<{ containerPort: number }>;
          livenessProbe: { httpGet: { path: string; port: string } };
          readinessProbe: { httpGet: { path: string; port: string } };
          startupProbe: { httpGet: { path: string } };
          securityContext: { readOnlyRootFilesystem: boolean };
        }>;
        securityContext: { runAsNonRoot: boolean };
      };
    };
  };
}

const CONSOLE = 'ops-console';
const render = (args: string[]) => renderChart<Obj>(args);
const consoleObjects = (docs: Obj[]) =>
  docs.filter(
    (d) => d.metadata.name === CONSOLE || d.metadata.labels?.['app.kubernetes.io/name'] === CONSOLE,
  );
const deploymentOf = (docs: Obj[]) =>
  docs.find((d) => d.kind === 'Deployment' && d.metadata.name === CONSOLE)!;
const containerOf = (docs: Obj[]) => deploymentOf(docs).spec!.template!.spec.containers[0]!;

/** Bring-your-own database and admin token, with the console turned on. */
const ENABLED = ['--set', 'database.existingSecret=shop-db', '--set', 'opsConsole.enabled=true'];
/** A Secret of the operator's with read-only URLs of the services' databases. */
const RO = 'shop-db-read-only';

describe('the operations console in the chart', () => {
  it.each(CHART_VARIANTS.filter(([, args]) => args !== DEV_VALUES))(
    'renders nothing of the console with %s',
    (_, args) => {
      expect(consoleObjects(render(args))).toEqual([]);
    },
  );

  it.each([
    [[]],
    [['prod-like']],
    [['dev', 'prod-like']],
    [['local-node']],
    [['dev', 'local-node']],
  ])('is off as skaffold installs the chart with profiles %j', (profiles: string[]) => {
    const [first, ...more] = profiles;
    expect(consoleObjects(renderAs<Obj>(first, ...more))).toEqual([]);
  });

  it('runs under skaffold dev, from the image skaffold built', () => {
    const image = (
      deploymentOf(renderAs<Obj>('dev')).spec!.template!.spec.containers[0] as {
        image?: string;
      }
    ).image;
    expect(image).toBe(builtImage('kafka-shop-ops-console'));
  });

  it('runs under the dev values: Deployment, Service, ServiceAccount, its token, its database', () => {
    const docs = render(DEV_VALUES);
    const kinds = consoleObjects(docs)
      .map((d) => `${d.kind} ${d.metadata.name}`)
      .sort();
    expect(kinds).toEqual(
      [
        'Database shop-postgres-ops-console',
        'Deployment ops-console',
        'Secret ops-console-admin-token',
        'Secret shop-postgres-ops-console',
        'Service ops-console',
        'ServiceAccount ops-console',
      ].sort(),
    );
    expect(problemsOf(consoleObjects(docs))).toEqual([]);
  });

  it.each([
    ['bring-your-own database', ENABLED],
    ['dev values', DEV_VALUES],
    ['the services’ databases', [...ENABLED, '--set', `opsConsole.serviceDatabasesSecret=${RO}`]],
  ])('sets exactly the env vars its config reads, and every required one (%s)', (_, args) => {
    const { env } = containerOf(render(args));
    const composed = new Set(
      env.flatMap((e) => [...(e.value ?? '').matchAll(/\$\(([A-Za-z_]\w*)\)/g)].map((m) => m[1]!)),
    );
    const set = env.map((e) => e.name).filter((name) => !composed.has(name));
    const shape = ConsoleConfigSchema.shape as Record<string, z.ZodType>;
    expect(set.filter((name) => !(name in shape))).toEqual([]);
    const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
    expect(required.filter((name) => !set.includes(name))).toEqual([]);
  });

  it('probes its health endpoints on the port it listens on, and runs locked down', () => {
    const docs = render(ENABLED);
    const container = containerOf(docs);
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    expect(container.ports[0]!.containerPort).toBe(Number(env.HTTP_PORT));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(deploymentOf(docs).spec!.template!.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === CONSOLE)!;
    expect(service.spec!.selector).toEqual(
      expect.objectContaining({ 'app.kubernetes.io/name': CONSOLE }),
    );
  });

  it('reads its admin token and Kafka password from Secrets, never inlined', () => {
    const docs = render(ENABLED);
    const { env } = containerOf(docs);
    const byName = Object.fromEntries(env.map((e) => [e.name, e]));
    expect(byName.ADMIN_TOKEN).toEqual({
      name: 'ADMIN_TOKEN',
      valueFrom: { secretKeyRef: { name: 'ops-console-admin-token', key: 'ADMIN_TOKEN' } },
    });
    expect(byName.KAFKA_SASL_PASSWORD).toEqual({
      name: 'KAFKA_SASL_PASSWORD',
      valueFrom: { secretKeyRef: { name: CONSOLE_USER, key: 'password' } },
    });
    expect(byName.DATABASE_URL!.valueFrom).toEqual({
      secretKeyRef: { name: 'shop-db', key: CONSOLE },
    });
    // Bring-your-own: the chart makes no Secret at all, so no token is in the manifests.
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
  });

  it("generates its token under the dev values, which the pod reads as a valid config's", () => {
    const docs = render(DEV_VALUES);
    const secrets = docs.filter((d) => d.kind === 'Secret');
    const resolved = kubeletEnv(containerOf(docs).env, secrets);
    expect(resolved.ADMIN_TOKEN).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(resolved.DATABASE_URL).toMatch(/^postgresql:\/\/ops_console:[A-Za-z0-9]{32}@/);
    const parsed = ConsoleConfigSchema.safeParse({
      ...resolved,
      KAFKA_SASL_PASSWORD: 'from-strimzi',
    });
    expect(parsed.error?.issues ?? []).toEqual([]);
    // The init container waits for the same database.
    const [init] = deploymentOf(docs).spec!.template!.spec.initContainers!;
    expect(init!.env).toEqual(containerOf(docs).env.filter((e) => e.name.startsWith('DATABASE_')));
  });

  it("reads every service's API at the Service the chart makes for it", () => {
    const docs = render(ENABLED);
    const env = Object.fromEntries(containerOf(docs).env.map((e) => [e.name, e.value]));
    for (const service of SERVICE_NAMES) {
      const url = new URL(env[serviceSettingOf(service, 'URL')]!);
      const target = docs.find((d) => d.kind === 'Service' && d.metadata.name === url.hostname);
      expect(target?.spec!.selector).toEqual(
        expect.objectContaining({ 'app.kubernetes.io/name': service }),
      );
      expect((target!.spec as { ports: Array<{ port: number }> }).ports[0]!.port).toBe(
        Number(url.port),
      );
    }
  });

  it("reads no service's database unless given a Secret, then each one read-only from it", () => {
    const databaseSettings = (args: string[]) =>
      containerOf(render(args)).env.filter((e) => /^[A-Z_]+_SERVICE_DATABASE_URL$/.test(e.name));
    expect(databaseSettings(ENABLED)).toEqual([]);
    expect(databaseSettings(DEV_VALUES)).toEqual([]);
    const given = databaseSettings([
      ...ENABLED,
      '--set',
      `opsConsole.serviceDatabasesSecret=${RO}`,
    ]);
    expect(given.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      SERVICE_NAMES.map((service) => ({
        name: serviceSettingOf(service, 'DATABASE_URL'),
        // A key the Secret lacks leaves that service out of the timeline, not the pod unstarted.
        valueFrom: { secretKeyRef: { name: RO, key: service, optional: true } },
      })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('requires its own database URL where the chart makes the database Secret', () => {
    const urls = SERVICE_NAMES.flatMap((s) => ['--set', `database.urls.${s}=postgres://x@db/${s}`]);
    expect(() => render([...urls, '--set', 'opsConsole.enabled=true'])).toThrow(
      /database\.urls\.ops-console is required/,
    );
  });

  it('reaches every service over HTTP under NetworkPolicies, and each of them lets it in', () => {
    const docs = render([...PROD_LIKE_VALUES, '--set', 'opsConsole.enabled=true']);
    const policyOf = (name: string) =>
      docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === name)!;
    const namesIn = (peers: Array<{ podSelector?: { matchLabels: Record<string, string> } }>) =>
      peers
        .map((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/name'])
        .filter((name) => name !== undefined);
    const console = policyOf(CONSOLE);
    expect(namesIn(console.spec!.egress!.flatMap((r) => r.to ?? [])).sort()).toEqual(
      [...SERVICE_NAMES].sort(),
    );
    // Its ingress is Prometheus' scrape only: operators come through kubectl port-forward.
    expect(console.spec!.ingress).toHaveLength(1);
    // order-service's API is public; the others take the console among their callers.
    for (const service of SERVICE_NAMES.filter((s) => s !== 'order-service')) {
      const from = (policyOf(service).spec!.ingress ?? []).flatMap(
        (r) => (r.from ?? []) as Array<{ podSelector?: { matchLabels: Record<string, string> } }>,
      );
      expect(namesIn(from)).toContain(CONSOLE);
    }
  });
});

describe('the KafkaUser the console connects as', () => {
  const users = YAML.parseAllDocuments(
    fs.readFileSync(path.join(K8S_DIR, 'strimzi/kafka-users.yaml'), 'utf8'),
  ).map((d) => d.toJSON() as Obj & { spec: { authorization: { acls: Acl[] } } });
  const username = containerOf(render(ENABLED)).env.find(
    (e) => e.name === 'KAFKA_SASL_USERNAME',
  )!.value;
  const acls = () => users.find((u) => u.metadata.name === username)!.spec.authorization.acls;

  it('exists in k8s/strimzi under the name the Deployment uses, with the catalog’s ACLs', () => {
    expect(username).toBe(CONSOLE_USER);
    expect(acls()).toEqual(consoleAcls());
  });

  it.each(PRIMARY_TOPICS.map((t) => t.name))(
    'cannot write %s, a service’s main topic, nor its DLQ',
    (topic) => {
      expect(allows(acls(), 'topic', topic, 'Write')).toBe(false);
      expect(allows(acls(), 'topic', dlqTopicOf(topic), 'Write')).toBe(false);
    },
  );

  it('writes only the retry-1 topics a redrive sends to, reads every topic, joins no group', () => {
    const consumers = SERVICE_NAMES.filter((s) =>
      PRIMARY_TOPICS.some((t) => t.consumers.includes(s)),
    );
    const writable = allTopics()
      .map((t) => t.name)
      .filter((t) => allows(acls(), 'topic', t, 'Write'));
    expect(writable.sort()).toEqual(consumers.map((s) => retryTopicOf(s, 1)).sort());
    for (const { name } of allTopics()) expect(allows(acls(), 'topic', name, 'Read')).toBe(true);
    for (const s of SERVICE_NAMES) {
      expect(allows(acls(), 'group', consumerGroupOf(s), 'Read')).toBe(false);
      expect(allows(acls(), 'group', consumerGroupOf(s), 'Describe')).toBe(consumers.includes(s));
    }
  });
});
