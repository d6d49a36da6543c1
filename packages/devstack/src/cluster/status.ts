import { NETNS, paths } from './config';
import { components } from './components';
import { pidOf } from './daemons';
import { kubectl, namespaceExists } from './namespace';

export interface ClusterStatus {
  namespace: boolean;
  /** Component name to pid, or undefined when it is not running. */
  components: Record<string, number | undefined>;
  nodeReady: boolean;
  /** `kubectl get pods -n kube-system -o wide`, when the apiserver answers. */
  systemPods: string;
  kubeconfig: string;
}

export function clusterStatus(): ClusterStatus {
  const procs = Object.fromEntries(components().map((c) => [c.name, pidOf(c.name)]));
  const apiserver = namespaceExists() && procs['kube-apiserver'] !== undefined;
  const ready = apiserver
    ? kubectl(
        ['get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}'],
        undefined,
        10_000,
      )
    : undefined;
  const pods = apiserver
    ? kubectl(['-n', 'kube-system', 'get', 'pods', '-o', 'wide'], undefined, 10_000)
    : undefined;
  return {
    namespace: namespaceExists(),
    components: procs,
    nodeReady: ready?.status === 0 && ready.stdout.trim() === 'True',
    systemPods: pods ? (pods.status === 0 ? pods.stdout : pods.stderr) : '',
    kubeconfig: paths.kubeconfig,
  };
}

export function formatStatus(s: ClusterStatus): string {
  const lines = [`network namespace ${NETNS}: ${s.namespace ? 'present' : 'absent'}`];
  for (const [name, pid] of Object.entries(s.components)) {
    lines.push(`  ${name.padEnd(24)} ${pid !== undefined ? `running (pid ${pid})` : 'stopped'}`);
  }
  lines.push(`node Ready: ${s.nodeReady ? 'yes' : 'no'}`);
  if (s.systemPods) lines.push('kube-system pods:', s.systemPods.trimEnd());
  if (s.namespace) lines.push(`kubeconfig: ${s.kubeconfig}`);
  return lines.join('\n');
}
