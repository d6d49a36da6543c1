import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { K8S_DIR, readManifests } from '@shop/cdk8s';
import { CHART, CHART_VARIANTS, CRD_DIRS, DEV_VALUES, HELM, ROOT, renderChart } from './helm';
import { startKubeApiServer, type KubeApiServer } from './kube-apiserver';

/**
 * Every manifest the repo ships, server-side dry-run against a real kube-apiserver with the
 * Strimzi and Prometheus Operator CRDs installed and strict field validation: what
 * `kubectl apply --server-side` would say on a cluster, short of running controllers.
 */

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

const FIELD_MANAGER = 'kafka-shop-test';

/** Every YAML file under k8s/, relative to the repo. */
function manifestFiles(dir = K8S_DIR): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? manifestFiles(path.join(dir, e.name))
        : e.name.endsWith('.yaml')
          ? [path.relative(ROOT, path.join(dir, e.name))]
          : [],
    )
    .sort();
}

/** What `kubectl -o name` prints for an object: kind.group/name. */
const nameOf = (o: Obj) => {
  const group = o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
  return `${o.kind.toLowerCase()}${group}/${o.metadata.name}`;
};

const toYaml = (objs: Obj[]) => objs.map((o) => JSON.stringify(o)).join('\n---\n');

describe('server-side dry-run on a real kube-apiserver', () => {
  let server: KubeApiServer;
  const dryRun = (input: string) =>
    server.kubectl(
      [
        'apply',
        '--server-side',
        '--dry-run=server',
        '--validate=strict',
        `--field-manager=${FIELD_MANAGER}`,
        '--namespace=shop',
        '-o',
        'name',
        '-f',
        '-',
      ],
      input,
    );
  /** The server took every object it was given, by name, without a word of warning. */
  const expectAllAccepted = (input: string, objs: Obj[]) => {
    expect(objs.length).toBeGreaterThan(0);
    const result = dryRun(input);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n').sort()).toEqual(objs.map(nameOf).sort());
    expect(result.status).toBe(0);
  };
  const renderForServer = (args: string[]) =>
    // After the chart test's own --kube-version: a real install reports the server's.
    renderChart<Obj>([...args, '--kube-version', server.version.replace(/^v/, '')]);

  beforeAll(async () => {
    server = await startKubeApiServer();
    // The CRDs and the namespace for real: a dry-run of a custom resource needs its CRD stored.
    // Server-side, as the Kafka CRD is too big for the last-applied annotation.
    const crds = server.kubectl([
      'apply',
      '--server-side',
      `--field-manager=${FIELD_MANAGER}`,
      ...CRD_DIRS.flatMap((dir) => ['-f', dir]),
    ]);
    expect(crds.stderr).toBe('');
    const waitEstablished = () =>
      server.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    let established = waitEstablished();
    // kubectl wait fails instead of waiting on a CRD whose status the server has not written yet
    // (".status.conditions accessor error: <nil>", seen once in two runs): ask again.
    for (let i = 0; i < 20 && established.stderr.includes('accessor error'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      established = waitEstablished();
    }
    expect(established.stderr).toBe('');
    expect(server.kubectl(['create', 'namespace', 'shop']).status).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it.each(manifestFiles())('accepts every object in %s', (file) => {
    const yaml = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const objs = YAML.parseAllDocuments(yaml)
      .map((d) => d.toJSON() as Obj)
      .filter(Boolean);
    expectAllAccepted(yaml, objs);
  });

  it.each(CHART_VARIANTS)('accepts every object helm template renders with %s', (_, args) => {
    const objs = renderForServer(args);
    expectAllAccepted(toYaml(objs), objs);
  });

  /** NOTES.txt as `helm install` prints it: helm template never renders it. */
  const notesOf = (args: string[]) => {
    const install = spawnSync(
      HELM,
      ['install', 'shop', CHART, '--namespace', 'shop', '--dry-run=client', '--kubeconfig'].concat([
        server.kubeconfig,
        ...args,
      ]),
      { encoding: 'utf8' },
    );
    expect(install.stderr).toBe('');
    return install.stdout.slice(install.stdout.indexOf('NOTES:'));
  };

  it('prints NOTES that order only what the catalog has', () => {
    const defaults = notesOf(['--set', 'database.existingSecret=shop-db']);
    expect(defaults).toContain('port-forward svc/order-service 3001:8080');
    // The default catalog is empty: the NOTES add a product before ordering it.
    expect(defaults).not.toMatch(/PROD-\d+/);
    const added = /"id":"([^"]+)"/.exec(defaults)?.[1];
    expect(added).toBeDefined();
    expect(defaults).toContain(`"productId":"${added}"`);
    expect(defaults).toContain('secret inventory-admin-token');

    const seeded = notesOf(['-f', `${CHART}/values-dev.yaml`]);
    expect(seeded).toContain('"productId":"PROD-001"');
  });

  it('prints how to reach the console and read its token only where the console runs', () => {
    expect(notesOf(['--set', 'database.existingSecret=shop-db'])).not.toContain('ops-console');
    const dev = notesOf(['-f', `${CHART}/values-dev.yaml`]);
    expect(dev).toContain('port-forward svc/ops-console 3005:8080');
    expect(dev).toContain(
      "get secret ops-console-admin-token -o jsonpath='{.data.ADMIN_TOKEN}' | base64 -d",
    );
  });

  it('keeps the generated database passwords and admin token across helm upgrade', () => {
    // helm template sees no cluster, so only an install against a server shows what lookup keeps.
    const namespace = 'shop-upgrade';
    const upgradeInstall = () =>
      spawnSync(
        HELM,
        [
          'upgrade',
          '--install',
          'shop',
          CHART,
          '--namespace',
          namespace,
          '--create-namespace',
        ].concat(['--kubeconfig', server.kubeconfig, ...DEV_VALUES]),
        { encoding: 'utf8' },
      );
    const generatedSecrets = () => {
      const got = server.kubectl([
        'get',
        'secrets',
        '-n',
        namespace,
        '-l',
        'app.kubernetes.io/instance=shop',
        '-o',
        'json',
      ]);
      expect(got.stderr).toBe('');
      const { items } = JSON.parse(got.stdout) as {
        items: Array<{ metadata: { name: string }; data: Record<string, string> }>;
      };
      return Object.fromEntries(items.map((s) => [s.metadata.name, s.data]));
    };

    const installed = upgradeInstall();
    expect(installed.stderr).toBe('');
    expect(installed.status).toBe(0);
    const first = generatedSecrets();
    // Five role passwords (the console's too) and the two admin tokens.
    expect(Object.keys(first)).toHaveLength(7);

    const upgraded = upgradeInstall();
    expect(upgraded.stderr).toBe('');
    expect(upgraded.status).toBe(0);
    expect(generatedSecrets()).toEqual(first);
  });

  it('refuses a field a KafkaTopic does not declare', () => {
    const topic = readManifests(path.join(K8S_DIR, 'strimzi')).find(
      (m) => m.kind === 'KafkaTopic',
    ) as Obj;
    const result = dryRun(toYaml([{ ...topic, spec: { ...topic.spec, bogusField: 1 } }]));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('.spec.bogusField: field not declared in schema');
  });

  it('refuses a field a Deployment does not declare', () => {
    const [variant] = CHART_VARIANTS;
    const deployment = renderForServer(variant![1]).find((o) => o.kind === 'Deployment')!;
    const template = deployment.spec.template as { spec: { containers: object[] } };
    template.spec.containers[0] = { ...template.spec.containers[0], bogusField: 1 };
    const result = dryRun(toYaml([deployment]));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /\.spec\.template\.spec\.containers\[name="[a-z-]+"\]\.bogusField: field not declared in schema/,
    );
  });
});
