import path from 'node:path';
import { K8S_DIR, readManifests } from '@shop/cdk8s';
import { rawManifestsOf, renderAs } from './skaffold-config';

/**
 * What `skaffold dev` asks of a 4-CPU / 8 GiB kind or minikube node: the CPU and memory requests
 * of everything the dev loop deploys, of the operators it needs, and of the node's own pods.
 */
interface Requests {
  readonly cpu: number;
  /** MiB */
  readonly memory: number;
}
interface Part extends Requests {
  readonly what: string;
}
interface Container {
  resources?: { requests?: { cpu?: string; memory?: string } };
}
interface Obj {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
}

/** A Kubernetes CPU quantity in cores (`100m`, `0.5`, `2`). */
export function cores(q: string | undefined): number {
  if (q === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q);
  if (!m) throw new Error(`not a CPU quantity: ${q}`);
  return Number(m[1]) / (m[2] === 'm' ? 1000 : 1);
}

/** A Kubernetes memory quantity in MiB (`192Mi`, `1Gi`, `512M`, bytes). */
export function mebibytes(q: string | undefined): number {
  if (q === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(q);
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const bytes = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9, '': 1 }[
    m[2] ?? ''
  ];
  return (Number(m[1]) * bytes!) / 2 ** 20;
}

const requestsOf = (resources: Container['resources'], times = 1): Requests => ({
  cpu: cores(resources?.requests?.cpu) * times,
  memory: mebibytes(resources?.requests?.memory) * times,
});

/**
 * The dev Kafka cluster's pods as Strimzi makes them. Strimzi sets no requests on a container
 * whose `resources` the custom resource leaves out (EntityTopicOperator, EntityUserOperator and
 * KafkaExporter in cluster-operator/src/main/java/io/strimzi/operator/cluster/model copy
 * `spec.resources` as given, at Strimzi 1.2.0): such a container counts 0 here.
 */
function strimziParts(objects: Obj[]): Part[] {
  return objects.flatMap((o): Part[] => {
    const spec = o.spec as Record<string, Record<string, unknown>>;
    if (o.kind === 'KafkaNodePool')
      return [
        {
          what: `KafkaNodePool ${o.metadata.name} (${String(spec.replicas)} nodes)`,
          ...requestsOf(spec.resources as Container['resources'], Number(spec.replicas)),
        },
      ];
    if (o.kind !== 'Kafka') return [];
    const eo = spec.entityOperator as Record<string, Container> | undefined;
    return [
      { what: 'entity operator: topic operator', ...requestsOf(eo?.topicOperator?.resources) },
      { what: 'entity operator: user operator', ...requestsOf(eo?.userOperator?.resources) },
      {
        what: 'Kafka Exporter',
        ...requestsOf((spec.kafkaExporter as Container | undefined)?.resources),
      },
    ];
  });
}

/** The chart's pods with the dev values, and CloudNativePG instances when the values bring one. */
function chartParts(objects: Obj[]): Part[] {
  return objects.flatMap((o): Part[] => {
    const spec = o.spec as Record<string, unknown>;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const pod = (spec.template as { spec: { containers: Container[] } }).spec;
      const replicas = Number(spec.replicas ?? 1);
      const perPod = pod.containers.map((c) => requestsOf(c.resources));
      return [
        {
          what: `${o.kind} ${o.metadata.name} (${replicas} pods)`,
          cpu: perPod.reduce((s, r) => s + r.cpu, 0) * replicas,
          memory: perPod.reduce((s, r) => s + r.memory, 0) * replicas,
        },
      ];
    }
    if (o.kind === 'Cluster') {
      const instances = Number(spec.instances ?? 1);
      return [
        {
          what: `CloudNativePG Cluster ${o.metadata.name} (${instances} instances)`,
          ...requestsOf(spec.resources as Container['resources'], instances),
        },
      ];
    }
    return [];
  });
}

/**
 * The operators `skaffold dev` needs installed, with the requests of their charts' default
 * values (the chart versions current when measured). All but Strimzi's request nothing: they
 * count 0 here, and what they use anyway is the allowance below.
 */
export const OPERATOR_REQUESTS: readonly Part[] = [
  // strimzi/strimzi-kafka-operator 1.2.0, packaging/helm-charts/helm3/strimzi-kafka-operator/values.yaml `resources.requests`
  { what: 'Strimzi cluster operator', cpu: 0.2, memory: 384 },
  // prometheus-community/helm-charts, charts/kube-prometheus-stack 88.5.3 values.yaml:
  // `prometheus.prometheusSpec.resources: {}`
  { what: 'Prometheus', cpu: 0, memory: 0 },
  // `alertmanager.alertmanagerSpec.resources: {}`
  { what: 'Alertmanager', cpu: 0, memory: 0 },
  // `prometheusOperator.resources: {}` and `prometheusConfigReloader.resources: {}`
  { what: 'Prometheus Operator and config reloaders', cpu: 0, memory: 0 },
  // grafana chart (grafana/helm-charts charts/grafana 10.5.15 values.yaml): `resources: {}`, `sidecar.resources: {}`
  { what: 'Grafana', cpu: 0, memory: 0 },
  // charts/kube-state-metrics 8.4.0 values.yaml: `resources: {}`
  { what: 'kube-state-metrics', cpu: 0, memory: 0 },
  // charts/prometheus-node-exporter 4.56.1 values.yaml: `resources: {}` (one pod on the node)
  { what: 'node-exporter', cpu: 0, memory: 0 },
  // cloudnative-pg/charts, charts/cloudnative-pg 0.29.0 (operator 1.30.0) values.yaml: `resources: {}`
  { what: 'CloudNativePG operator', cpu: 0, memory: 0 },
];

/**
 * The node's own pods on kind (kubeadm v1.36.3: kube-apiserver 250m, kube-controller-manager
 * 200m, kube-scheduler 100m, etcd 100m/100Mi; CoreDNS 2 × 100m/70Mi; kind v0.32.0's kindnet
 * 100m/50Mi). minikube runs the same control plane without kindnet.
 */
export const SYSTEM_PODS: Part = { what: 'kind system pods', cpu: 0.95, memory: 290 };

/**
 * Our assumption, not a measurement (this machine cannot run them): what the operators above use
 * without requesting it on an idle dev cluster, Prometheus and Grafana the most, plus the
 * kubelet's 100Mi hard-eviction threshold.
 */
export const UNREQUESTED_ALLOWANCE: Part = {
  what: 'use of the operators without requests (assumed)',
  cpu: 0.5,
  memory: 1536,
};

export const NODE: Requests = { cpu: 4, memory: 8 * 1024 };

const sum = (parts: readonly Requests[]): Requests => ({
  cpu: parts.reduce((s, p) => s + p.cpu, 0),
  memory: parts.reduce((s, p) => s + p.memory, 0),
});

const table = (parts: readonly Part[]) =>
  parts
    .map(
      (p) =>
        `${p.what.padEnd(60)} ${p.cpu.toFixed(2).padStart(5)} CPU ${Math.round(p.memory).toString().padStart(5)} MiB`,
    )
    .join('\n');

describe('skaffold dev on a 4-CPU / 8 GiB node', () => {
  const kafka = strimziParts(rawManifestsOf<Obj>('dev'));
  const chart = chartParts(renderAs<Obj>('dev'));
  const ours = sum([...kafka, ...chart]);
  const requested = sum([...kafka, ...chart, ...OPERATOR_REQUESTS]);
  const total = sum([requested, SYSTEM_PODS, UNREQUESTED_ALLOWANCE]);

  it('counts every pod the dev loop deploys, each with explicit requests', () => {
    console.log(
      [
        table([...kafka, ...chart, ...OPERATOR_REQUESTS, SYSTEM_PODS, UNREQUESTED_ALLOWANCE]),
        `dev loop's own requests: ${ours.cpu.toFixed(2)} CPU, ${Math.round(ours.memory)} MiB`,
        `with the operators' requests: ${requested.cpu.toFixed(2)} CPU, ${Math.round(requested.memory)} MiB`,
        `with system pods and the allowance: ${total.cpu.toFixed(2)} CPU, ${Math.round(total.memory)} MiB of ${NODE.cpu} CPU, ${NODE.memory} MiB`,
      ].join('\n'),
    );
    expect(kafka.map((p) => p.what)).toEqual([
      'KafkaNodePool dual-role (3 nodes)',
      'entity operator: topic operator',
      'entity operator: user operator',
      'Kafka Exporter',
    ]);
    // A container left without requests would count 0 and hide from this sum.
    expect([...kafka, ...chart].filter((p) => p.cpu === 0 || p.memory === 0)).toEqual([]);
    expect(chart.length).toBeGreaterThanOrEqual(4);
  });

  it('fits with the operators, the system pods and the allowance', () => {
    expect(total.cpu).toBeLessThanOrEqual(NODE.cpu);
    expect(total.memory).toBeLessThanOrEqual(NODE.memory);
  });

  it('would not fit with the production-like Kafka cluster, which is why dev has its own', () => {
    const prodKafka = strimziParts(readManifests(path.join(K8S_DIR, 'strimzi')) as Obj[]);
    const withProd = sum([
      ...prodKafka,
      ...chart,
      ...OPERATOR_REQUESTS,
      SYSTEM_PODS,
      UNREQUESTED_ALLOWANCE,
    ]);
    expect(withProd.memory).toBeGreaterThan(NODE.memory);
  });

  it('keeps the dev Kafka cluster below half the node', () => {
    const kafkaTotal = sum(kafka);
    expect(kafkaTotal.memory).toBeLessThanOrEqual(NODE.memory / 2);
  });
});

describe('quantities', () => {
  it.each([
    ['100m', 0.1],
    ['0.5', 0.5],
    ['2', 2],
  ])('reads CPU %s as %d cores', (q, n) => expect(cores(q)).toBe(n));
  it.each([
    ['192Mi', 192],
    ['1Gi', 1024],
    ['2048Ki', 2],
  ])('reads memory %s as %d MiB', (q, n) => expect(mebibytes(q)).toBe(n));
  it('refuses what is not a quantity', () => {
    expect(() => mebibytes('1GB')).toThrow(/not a memory quantity/);
    expect(() => cores('1 core')).toThrow(/not a CPU quantity/);
  });
});
