import path from 'node:path';
import { K8S_DIR, readManifests, type Manifest } from '@shop/cdk8s';
import { SERVICE_NAMES } from '@shop/contracts';
import { renderChart } from './helm';

const NAMESPACE = 'shop';

interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Named container ports a monitor can scrape. */
  readonly ports: string[];
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
interface PodMonitor {
  metadata: { name: string; namespace?: string };
  spec: {
    selector: LabelSelector;
    namespaceSelector?: { any?: boolean; matchNames?: string[] };
    podMetricsEndpoints: Array<{ port?: string }>;
  };
}
interface Workload {
  kind: string;
  metadata: { name: string };
  spec: {
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: Array<{ ports?: Array<{ name?: string }> }> };
    };
  };
}

/** The chart as skaffold and docs/kubernetes.md install it: release kafka-shop in namespace shop. */
const renderInstall = (args: string[]) =>
  renderChart<Workload | PodMonitor>(
    ['--set', 'database.existingSecret=kafka-shop-database', ...args],
    'kafka-shop',
    NAMESPACE,
  );

function servicePodsOf(chart: Array<Workload | PodMonitor>): Pod[] {
  return (chart as Workload[])
    .filter((d) => d.kind === 'Deployment')
    .map((d) => ({
      name: d.metadata.name,
      namespace: NAMESPACE,
      labels: d.spec.template.metadata.labels,
      ports: d.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name!)),
    }));
}

/**
 * The pods Strimzi runs for the generated Kafka resource, with the labels it gives them (its own
 * part-of and managed-by replace the ones the custom resources carry).
 */
function strimziPods(strimzi: Manifest[]): Pod[] {
  const kafka = strimzi.find((m) => m.kind === 'Kafka')!;
  const cluster = kafka.metadata.name;
  const common = {
    'strimzi.io/cluster': cluster,
    'strimzi.io/kind': 'Kafka',
    'app.kubernetes.io/part-of': `strimzi-${cluster}`,
    'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
    'app.kubernetes.io/instance': cluster,
  };
  const brokers = strimzi
    .filter((m) => m.kind === 'KafkaNodePool')
    .flatMap((pool) => {
      const { replicas, roles } = pool.spec as { replicas: number; roles: string[] };
      return Array.from({ length: replicas }, (_, id) => ({
        name: `${cluster}-${pool.metadata.name}-${id}`,
        namespace: NAMESPACE,
        labels: {
          ...common,
          'strimzi.io/name': `${cluster}-kafka`,
          'strimzi.io/pool-name': pool.metadata.name,
          'strimzi.io/broker-role': String(roles.includes('broker')),
          'strimzi.io/controller-role': String(roles.includes('controller')),
          'app.kubernetes.io/name': 'kafka',
        },
        ports: ['tcp-replication', 'tcp-ctrlplane', 'tcp-clientstls', 'tcp-prometheus'],
      }));
    });
  const exporter = {
    name: `${cluster}-kafka-exporter`,
    namespace: NAMESPACE,
    labels: {
      ...common,
      'strimzi.io/name': `${cluster}-kafka-exporter`,
      'app.kubernetes.io/name': 'kafka-exporter',
    },
    ports: ['tcp-prometheus'],
  };
  return [...brokers, exporter];
}

function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values }) => {
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    const inValues = key in labels && (values ?? []).includes(labels[key]!);
    return operator === 'In' ? inValues : !inValues;
  });
  return byLabels && byExpressions;
}

/** The monitors whose endpoints scrape a pod's port (no namespaceSelector: the monitor's own). */
function scrapersOf(monitors: PodMonitor[], pod: Pod, port: string): string[] {
  return monitors
    .filter((m) => {
      const namespaces = m.spec.namespaceSelector;
      const inNamespace = namespaces?.any
        ? true
        : (namespaces?.matchNames ?? [m.metadata.namespace ?? NAMESPACE]).includes(pod.namespace);
      return inNamespace && selects(m.spec.selector, pod.labels);
    })
    .flatMap((m) =>
      m.spec.podMetricsEndpoints.filter((e) => e.port === port).map(() => m.metadata.name),
    );
}

describe.each([
  ['default values', []],
  ['podMonitor.enabled=true', ['--set', 'podMonitor.enabled=true']],
])('PodMonitors of k8s/monitoring and the chart with %s', (_, args) => {
  const chart = renderInstall(args);
  const servicePods = servicePodsOf(chart);
  const monitors = [
    ...(readManifests(path.join(K8S_DIR, 'monitoring')) as unknown as PodMonitor[]),
    ...(chart as PodMonitor[]),
  ].filter((m) => (m as unknown as Manifest).kind === 'PodMonitor');
  const pods = [...servicePods, ...strimziPods(readManifests(path.join(K8S_DIR, 'strimzi')))];

  it('model every pod that serves metrics', () => {
    expect(servicePods.map((p) => p.name).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(pods.filter((p) => p.labels['strimzi.io/broker-role'] === 'true')).toHaveLength(3);
  });

  it.each(pods.map((p) => [p.name, p]))(
    '%s: its metrics port is scraped by exactly one monitor, its other ports by none',
    (_, pod) => {
      const metricsPort = pod.ports.includes('tcp-prometheus') ? 'tcp-prometheus' : 'http';
      expect(scrapersOf(monitors, pod, metricsPort)).toHaveLength(1);
      for (const port of pod.ports.filter((p) => p !== metricsPort))
        expect(scrapersOf(monitors, pod, port)).toEqual([]);
    },
  );

  it('labels the services’ series with `service`, which the alerts and dashboard group by', () => {
    const [monitor] = monitors.filter((m) => selects(m.spec.selector, servicePods[0]!.labels));
    expect(JSON.stringify(monitor!.spec.podMetricsEndpoints)).toContain('"targetLabel":"service"');
  });
});
