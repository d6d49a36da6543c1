import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { cluster } from '@shop/devstack';
import { eventually } from '@shop/testkit';
import { HELM } from '../../../charts/kafka-shop/test/helm';

const KUBECTL = path.join(cluster.KUBE_BIN, 'kubectl');
const env = () => ({ ...process.env, KUBECONFIG: cluster.KUBECONFIG });

/** helm against the local node (this suite runs in its network namespace). */
export function helm(args: string[], timeoutMs = 600_000): string {
  const r = spawnSync(HELM, args, { encoding: 'utf8', timeout: timeoutMs, env: env() });
  if (r.status !== 0) {
    throw new Error(`helm ${args.join(' ')}: ${r.error?.message ?? ''}${r.stderr}`);
  }
  return r.stdout;
}

/** kubectl against the local node that must succeed; its output. */
export const kubectl = (args: string[], input?: string, timeoutMs = 120_000) =>
  cluster.kubectlOk(args, input, timeoutMs);

export function apply(objects: object[]): void {
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
}

export interface Pod {
  metadata: { name: string; labels: Record<string, string>; deletionTimestamp?: string };
  spec: { containers: Array<{ image: string }> };
  status: {
    phase: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ restartCount: number; image: string }>;
  };
}

export function pods(namespace: string): Pod[] {
  return (JSON.parse(kubectl(['get', 'pods', '-n', namespace, '-o', 'json'])) as { items: Pod[] })
    .items;
}

export const isReady = (p: Pod) =>
  !p.metadata.deletionTimestamp &&
  p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Waits until every Deployment in the namespace has all its replicas updated and available. */
export async function rolledOut(namespace: string, timeoutMs = 300_000): Promise<void> {
  for (const name of kubectl(['get', 'deployments', '-n', namespace, '-o', 'name']).split('\n').filter(Boolean)) {
    kubectl(['rollout', 'status', '-n', namespace, name, `--timeout=${timeoutMs / 1000}s`], undefined, timeoutMs + 10_000);
  }
}

export interface PortForward {
  /** How many times kubectl had to be started again. */
  readonly restarts: () => number;
  stop(): void;
}

/**
 * `kubectl port-forward` in the background, kept running: kubectl exits for good when one
 * forwarded connection fails ("error forwarding port ... connection reset by peer", then "lost
 * connection to pod"), as a user's shell loop would, it is started again (at most 30 times).
 * Resolves once the local port answers.
 */
export async function portForward(
  namespace: string,
  target: string,
  localPort: number,
  remotePort: number,
): Promise<PortForward> {
  let child: ChildProcess | undefined;
  let stopped = false;
  let restarts = -1;
  const start = () => {
    if (stopped || restarts >= 30) return;
    restarts++;
    child = spawn(
      KUBECTL,
      ['port-forward', '-n', namespace, target, `${localPort}:${remotePort}`],
      { env: env(), stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('exit', () => setTimeout(start, 200));
  };
  start();
  await eventually(
    () =>
      fetch(`http://127.0.0.1:${localPort}/health/live`).then(
        () => true,
        () => false,
      ),
    30_000,
    `port-forward to ${target}`,
  );
  return {
    restarts: () => restarts,
    stop() {
      stopped = true;
      child?.kill();
    },
  };
}
