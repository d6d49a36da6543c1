import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES } from '@shop/contracts';
import { cluster } from '@shop/devstack';
import { reconcileLocal } from '../../scripts/reconcile';
import { chartArgs, imageOf, IMAGE_TAG, localNodeObjects } from './support/chart';
import { apply, helm, isReady, kubectl, pods, portForward, rolledOut } from './support/kube';
import { finalStatuses, placeOrders } from './support/orders';
import { podman } from './support/podman';

/**
 * The chart installed for real on the local node, against the project's own Kafka (SCRAM, ACLs)
 * and PostgreSQL, through Secrets shaped as Strimzi's User Operator makes them. Each step leaves
 * the release for the next: install, demo orders through port-forward, pods deleted under traffic,
 * an upgrade to a new image tag under traffic. After each, reconciliation finds 0 violations.
 */
const ROOT = path.resolve(__dirname, '../..');
const NS = 'shop';
const RELEASE = 'kafka-shop';
const figures: Record<string, unknown> = {};

async function reconciled(): Promise<void> {
  const report = await reconcileLocal();
  expect(report.violations).toEqual([]);
}

function orderServiceUrl(): string {
  const ip = kubectl(['get', 'service', 'order-service', '-n', NS, '-o', 'jsonpath={.spec.clusterIP}']);
  return `http://${ip}:8080`;
}

afterAll(() => {
  process.stderr.write(`[k8s] ${JSON.stringify(figures)}\n`);
  fs.mkdirSync(path.join(ROOT, '.cluster'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.cluster/k8s-figures.json'), JSON.stringify(figures, null, 2));
});

describe('the chart on a real Kubernetes node', () => {
  it('installs, and two replicas per service start on fresh databases without a restart', async () => {
    kubectl(['create', 'namespace', NS]);
    kubectl(['apply', '--server-side', '-f', path.join(ROOT, 'third_party/crds/prometheus-operator')]);
    apply(localNodeObjects(NS));
    const began = Date.now();
    helm(['install', RELEASE, path.join(ROOT, 'charts/kafka-shop'), '--namespace', NS, '--wait', '--timeout', '8m', ...chartArgs()]);
    figures.installToReadySeconds = (Date.now() - began) / 1000;
    const running = pods(NS);
    expect(running).toHaveLength(7);
    for (const pod of running) {
      expect(isReady(pod)).toBe(true);
      expect(pod.status.containerStatuses?.[0]?.restartCount).toBe(0);
    }
    expect(kubectl(['get', 'podmonitors', '-n', NS, '-o', 'name']).trim()).toBe('podmonitor.monitoring.coreos.com/kafka-shop-services');
  });

  it('takes 200 demo orders through kubectl port-forward, reconciliation 0 violations', async () => {
    const forwards = [
      await portForward(NS, 'svc/order-service', 18180, 8080),
      await portForward(NS, 'svc/inventory-service', 18181, 8080),
    ];
    try {
      const demo = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/demo.ts'), '--orders', '200', '--concurrency', '8'], {
        env: { ...process.env, ORDER_URL: 'http://127.0.0.1:18180', INVENTORY_URL: 'http://127.0.0.1:18181' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      demo.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((resolve) => demo.on('close', resolve));
      process.stderr.write(`[k8s] demo:\n${out.split('\n').slice(-14).join('\n')}\n`);
      expect(out).toContain('reconciliation: 0 violations');
      expect(code).toBe(0);
      figures.demo = out.split('\n').filter((l) => /orders\/s|p50|p99|completed/.test(l)).slice(-4);
      figures.portForwardRestarts = forwards.map((f) => f.restarts());
    } finally {
      for (const f of forwards) f.stop();
    }
  });

  it('loses no order when a pod of each service is deleted under traffic', async () => {
    const url = orderServiceUrl();
    const load = placeOrders(url, 150, 5, 'pod-delete');
    for (const service of SERVICE_NAMES) {
      await new Promise((r) => setTimeout(r, 4_000));
      const victim = pods(NS).find((p) => p.metadata.labels['app.kubernetes.io/name'] === service && isReady(p))!;
      kubectl(['delete', 'pod', '-n', NS, victim.metadata.name, '--wait=false']);
    }
    const { accepted, refused } = await load;
    expect(refused).toBe(0);
    expect(accepted).toHaveLength(150);
    expect(new Set(accepted).size).toBe(150);
    const statuses = await finalStatuses(url, accepted, 180_000);
    expect([...statuses.values()].filter((s) => s !== 'COMPLETED')).toEqual([]);
    expect(statuses.size).toBe(150);
    await rolledOut(NS);
    await reconciled();
    figures.podDeletion = { orders: 150, completed: statuses.size, refused };
  });

  it('rolls out a new image tag with helm upgrade under traffic, no failed order', async () => {
    const tag = `${IMAGE_TAG}-upgrade`;
    for (const service of SERVICE_NAMES) podman(['tag', imageOf(service), imageOf(service, tag)]);
    cluster.loadImages(SERVICE_NAMES.map((s) => imageOf(s, tag)));
    const url = orderServiceUrl();
    const load = placeOrders(url, 150, 5, 'upgrade');
    await new Promise((r) => setTimeout(r, 3_000));
    const began = Date.now();
    helm(['upgrade', RELEASE, path.join(ROOT, 'charts/kafka-shop'), '--namespace', NS, '--wait', '--timeout', '8m', ...chartArgs(tag)]);
    figures.upgradeSeconds = (Date.now() - began) / 1000;
    const { accepted, refused } = await load;
    expect(refused).toBe(0);
    const statuses = await finalStatuses(url, accepted, 180_000);
    expect([...statuses.values()].filter((s) => s !== 'COMPLETED')).toEqual([]);
    expect(statuses.size).toBe(150);
    const images = pods(NS).filter(isReady).map((p) => p.spec.containers[0]!.image);
    expect(images).toHaveLength(7);
    for (const image of images) expect(image).toMatch(new RegExp(`:${tag}$`));
    await reconciled();
    figures.upgrade = { orders: 150, completed: statuses.size, refused };
  });
});
