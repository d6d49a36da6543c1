import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { NETNS, NETNS_SCRIPT, STATE_DIR, paths } from './config';
import { components } from './components';
import { pidOf, stop } from './daemons';

type Log = (line: string) => void;

function ctr(args: string[], timeoutMs = 30_000) {
  return spawnSync('ctr', ['-a', paths.containerdSock, '-n', 'k8s.io', ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}

/**
 * Kills and deletes every container containerd runs for the node (pods and their sandboxes), so
 * their shims exit and their mounts go. Done with the kubelet already stopped, else it would
 * start them again; done through containerd, so only its own processes are touched.
 */
function removeContainers(log: Log): void {
  if (pidOf('containerd') === undefined) return;
  const tasks = ctr(['tasks', 'ls', '-q']).stdout?.split('\n').filter(Boolean) ?? [];
  for (const id of tasks) ctr(['tasks', 'kill', '-s', 'SIGKILL', id]);
  for (const id of tasks) ctr(['tasks', 'delete', '-f', id]);
  const containers = ctr(['containers', 'ls', '-q']).stdout?.split('\n').filter(Boolean) ?? [];
  for (const id of containers) ctr(['containers', 'delete', id]);
  if (containers.length > 0) log(`removed ${containers.length} containers`);
}

/** Mount points under the state dir (kubelet root, pod volumes, rootfs, shm), deepest first. */
function mountsUnder(dir: string): string[] {
  const lines = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const points = lines
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Stops everything in reverse start order and removes the namespace and all state. Idempotent. */
export async function clusterDown(log: Log = () => undefined): Promise<void> {
  const order = components()
    .map((c) => c.name)
    .reverse();
  for (const name of order) {
    if (name === 'containerd') removeContainers(log);
    if (pidOf(name) !== undefined) {
      await stop(name);
      log(`stopped ${name}`);
    }
  }

  // `umount -l`: the kubelet makes its root dir a mount, and a busy mount must not block down.
  for (let round = 0; round < 5; round++) {
    const mounts = mountsUnder(STATE_DIR);
    if (mounts.length === 0) break;
    for (const m of mounts) spawnSync('umount', ['-l', m], { timeout: 10_000 });
  }

  // The namespace and the per-pod cni-* namespaces the CNI left (not those that existed before).
  const del = spawnSync('bash', [NETNS_SCRIPT, 'delete', NETNS, paths.netnsBefore], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (del.status !== 0) log(`deleting network namespaces: ${del.stderr.trim()}`);

  const left = mountsUnder(STATE_DIR);
  if (left.length > 0)
    throw new Error(`still mounted, not deleting ${STATE_DIR}: ${left.join(', ')}`);
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
  log('cluster down');
}
