/**
 * The local single-node Kubernetes (packages/devstack/src/cluster): up, a smoke Deployment of two
 * replicas behind a ClusterIP Service, and the four things a chart needs from a cluster:
 * kube-proxy (the ClusterIP answers), CoreDNS (the Service's name resolves in a pod), kubectl
 * port-forward, and the Deployment replacing a deleted pod. Then down.
 *
 * Part of `npm run test:k8s` (root, and what `bash scripts/ensure-tools.sh cluster` builds); `up`
 * finds the cluster the suite runs in already up. Every wait is bounded.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cluster } from '@shop/devstack';

const {
  IMAGES,
  KUBE_BIN,
  KUBECONFIG,
  clusterDown,
  clusterUp,
  importImageTar,
  inNamespace,
  kubectl,
  kubectlOk,
  loadImages,
  namespaceEnv,
  NETNS_PATH,
} = cluster;

const SMOKE = `apiVersion: apps/v1
kind: Deployment
metadata: {name: smoke, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: smoke}}
  template:
    metadata: {labels: {app: smoke}}
    spec:
      containers:
      - name: smoke
        image: ${IMAGES.smoke.name}
        imagePullPolicy: Never
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /, port: 8080}
          periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata: {name: smoke, namespace: default}
spec:
  selector: {app: smoke}
  ports: [{port: 80, targetPort: 8080}]
`;

/** GET from inside the namespace with Node's fetch (no curl needed); the body, or throws. */
function get(url: string): string {
  const script = `fetch(process.argv[1], {signal: AbortSignal.timeout(5000)})
    .then(async (r) => { const t = await r.text(); if (!r.ok) throw new Error(r.status + ' ' + t); process.stdout.write(t); })
    .catch((e) => { console.error(e.message); process.exit(1); })`;
  const r = inNamespace(process.execPath, ['-e', script, url], { timeoutMs: 15_000 });
  if (r.status !== 0) throw new Error(`GET ${url}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Retries `fn` until it returns without throwing, for at most `ms`. */
async function eventually<T>(what: string, fn: () => T, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return fn();
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${what} within ${ms} ms: ${(last as Error)?.message}`);
}

function readyPods(): Array<{ name: string; ip: string }> {
  const out = kubectlOk([
    'get',
    'pods',
    '-l',
    'app=smoke',
    '-o',
    'jsonpath={range .items[?(@.status.containerStatuses[0].ready==true)]}{.metadata.name} {.status.podIP} {.metadata.deletionTimestamp}{"\\n"}{end}',
  ]);
  return out
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((f) => f.length === 2 && f[0])
    .map(([name, ip]) => ({ name: name!, ip: ip! }));
}

describe('local cluster (npm run cluster)', () => {
  let startedHere = false;
  let clusterIp = '';

  beforeAll(async () => {
    const r = await clusterUp((line) => process.stderr.write(`[cluster] ${line}\n`));
    startedHere = r.started;
    if (r.started) process.stderr.write(`[cluster] up in ${r.ms} ms\n`);

    // `load` copies a podman image; the tar ensure-tools wrote is the fallback.
    const inPodman = spawnSync('podman', ['image', 'exists', IMAGES.smoke.name]).status === 0;
    if (inPodman) loadImages([IMAGES.smoke.name]);
    else importImageTar(IMAGES.smoke.tar);

    kubectlOk(['apply', '-f', '-'], SMOKE);
    kubectlOk(['rollout', 'status', 'deploy/smoke', '--timeout=180s'], undefined, 200_000);
    clusterIp = kubectlOk(['get', 'svc', 'smoke', '-o', 'jsonpath={.spec.clusterIP}']).trim();
  }, 600_000);

  afterAll(async () => {
    if (startedHere) await clusterDown((line) => process.stderr.write(`[cluster] ${line}\n`));
    else kubectl(['delete', '-f', '-', '--wait=false'], SMOKE);
  }, 180_000);

  test('the node is Ready and CoreDNS runs', () => {
    const nodes = kubectlOk([
      'get',
      'nodes',
      '-o',
      'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
    ]);
    expect(nodes.trim()).toBe('True');
    const dns = kubectlOk([
      '-n',
      'kube-system',
      'get',
      'deploy',
      'coredns',
      '-o',
      'jsonpath={.status.readyReplicas}',
    ]);
    expect(Number(dns)).toBeGreaterThanOrEqual(1);
  });

  test("the Service's ClusterIP answers through kube-proxy, from the namespace and from a pod", async () => {
    expect(
      await eventually('ClusterIP from the namespace', () => get(`http://${clusterIp}/`)),
    ).toMatch(/^smoke smoke-/);
    const pod = readyPods()[0]!;
    const viaPod = await eventually('ClusterIP from a pod', () =>
      get(`http://${pod.ip}:8080/get?url=${encodeURIComponent(`http://${clusterIp}/`)}`),
    );
    expect(viaPod).toMatch(/^smoke smoke-/);
  }, 120_000);

  test('smoke.default.svc.cluster.local resolves through CoreDNS inside a pod', async () => {
    const pod = readyPods()[0]!;
    const name = 'smoke.default.svc.cluster.local';
    const addrs = await eventually('DNS from a pod', () =>
      get(`http://${pod.ip}:8080/resolve?name=${name}`),
    );
    expect(addrs.trim()).toBe(clusterIp);
    // The short name through the pod's search path, and the whole way: DNS, ClusterIP, backend.
    const body = await eventually('smoke by name', () =>
      get(`http://${pod.ip}:8080/get?url=${encodeURIComponent('http://smoke/')}`),
    );
    expect(body).toMatch(/^smoke smoke-/);
  }, 120_000);

  test('kubectl port-forward svc/smoke', async () => {
    const port = 18280;
    const child = spawn(
      'nsenter',
      [
        `--net=${NETNS_PATH}`,
        '--',
        `${KUBE_BIN}/kubectl`,
        '--kubeconfig',
        KUBECONFIG,
        'port-forward',
        'svc/smoke',
        `${port}:80`,
      ],
      { env: namespaceEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('port-forward did not start in 30 s')),
          30_000,
        );
        child.stdout!.on('data', (c: Buffer) => {
          if (c.toString().includes('Forwarding from')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`port-forward exited ${code}`)));
      });
      expect(
        await eventually('port-forward', () => get(`http://127.0.0.1:${port}/`), 30_000),
      ).toMatch(/^smoke smoke-/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);

  test('a deleted pod is replaced', async () => {
    const before = readyPods();
    expect(before).toHaveLength(2);
    kubectlOk(
      ['delete', 'pod', before[0]!.name, '--wait=true', '--timeout=60s'],
      undefined,
      90_000,
    );
    const after = await eventually(
      'two ready pods again',
      () => {
        const pods = readyPods();
        if (pods.length !== 2 || pods.some((p) => p.name === before[0]!.name))
          throw new Error(JSON.stringify(pods));
        return pods;
      },
      120_000,
    );
    expect(after.map((p) => p.name)).toContain(before[1]!.name);
  }, 180_000);
});
