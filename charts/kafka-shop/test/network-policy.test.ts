import { spawnSync } from 'node:child_process';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import {
  CHART,
  DEV_VALUES,
  HELM,
  KUBE_VERSION,
  PROD_LIKE_VALUES,
  problemsOf,
  renderChart,
} from './helm';

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    podSelector?: { matchLabels: Record<string, string> };
    policyTypes?: string[];
    ingress?: Rule[];
    egress?: Rule[];
    template?: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } };
  };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Array<{ port: number; protocol: string }>;
}
type Peer = Record<string, unknown>;

/** The system's public API; the others answer operators through port-forwards (docs/kubernetes.md). */
const PUBLIC: readonly ServiceName[] = ['order-service'];
const HTTP = [{ port: 8080, protocol: 'TCP' }];
const pods = (name: string) => ({
  podSelector: {
    matchLabels: {
      'app.kubernetes.io/part-of': 'kafka-shop',
      'app.kubernetes.io/instance': 'shop',
      'app.kubernetes.io/name': name,
    },
  },
});

/** Who a deployable calls, from what its Deployment hands its code: a URL of a service. */
function calleesOf(deployments: Doc[], service: string): ServiceName[] {
  const env = deployments.find((d) => d.metadata.name === service)!.spec.template!.spec
    .containers[0]!.env;
  return env.flatMap((e) => {
    const host = /^https?:\/\/([a-z-]+)[:/]/.exec(e.value ?? '')?.[1];
    return SERVICE_NAMES.filter((s) => s === host);
  });
}

/** What each service needs, written from the code's side, not the chart's. */
function expectedPolicy(deployments: Doc[], service: ServiceName, database: Rule) {
  // The console too, where the release runs it.
  const callers = deployments
    .map((d) => d.metadata.name)
    .filter((caller) => calleesOf(deployments, caller).includes(service))
    .sort();
  const prometheus = {
    from: [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ],
    ports: HTTP,
  };
  return {
    podSelector: pods(service).podSelector,
    policyTypes: ['Ingress', 'Egress'],
    ingress: PUBLIC.includes(service)
      ? [{ ports: HTTP }]
      : [...(callers.length > 0 ? [{ from: callers.map(pods), ports: HTTP }] : []), prometheus],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      {
        to: [
          {
            podSelector: {
              matchLabels: { 'strimzi.io/cluster': 'shop-kafka', 'strimzi.io/broker-role': 'true' },
            },
          },
        ],
        ports: [{ port: 9093, protocol: 'TCP' }],
      },
      database,
      ...calleesOf(deployments, service).map((callee) => ({ to: [pods(callee)], ports: HTTP })),
    ],
  };
}

describe('NetworkPolicies', () => {
  const docs = renderChart<Doc>(PROD_LIKE_VALUES);
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const policyOf = (all: Doc[], service: string) =>
    all.find((d) => d.kind === 'NetworkPolicy' && d.metadata.name === service)!;
  const byoDatabase = {
    to: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((cidr) => ({ ipBlock: { cidr } })),
    ports: [{ port: 5432, protocol: 'TCP' }],
  };

  it('are on in the prod-like values and valid objects', () => {
    expect(problemsOf(docs)).toEqual([]);
    expect(
      docs
        .filter((d) => d.kind === 'NetworkPolicy')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...SERVICE_NAMES].sort());
  });

  it.each(SERVICE_NAMES)(
    '%s: takes traffic only from its callers and Prometheus, reaches only DNS, Kafka, PostgreSQL and its callees',
    (service) => {
      expect(policyOf(docs, service).spec).toEqual(
        expectedPolicy(deployments, service, byoDatabase),
      );
    },
  );

  it('lets a service that calls another reach it, and no other service reach any', () => {
    expect(calleesOf(deployments, 'order-service')).toEqual(['inventory-service']);
    const reachesServices = (service: string) =>
      policyOf(docs, service)
        .spec.egress!.flatMap((r) => r.to ?? [])
        .filter((p) => JSON.stringify(p).includes('app.kubernetes.io/name'));
    expect(reachesServices('order-service')).toEqual([pods('inventory-service')]);
    for (const service of ['inventory-service', 'payment-service', 'notification-service'])
      expect(reachesServices(service)).toEqual([]);
  });

  it('reaches the OTel collector on its endpoint port only when otel.endpoint is set', () => {
    const traced = renderChart<Doc>([
      ...PROD_LIKE_VALUES,
      '--set',
      'otel.endpoint=http://otel-collector.observability:4318',
    ]);
    for (const service of SERVICE_NAMES) {
      const egress = policyOf(traced, service).spec.egress!;
      expect(egress).toContainEqual({
        to: [{ namespaceSelector: {} }],
        ports: [{ port: 4318, protocol: 'TCP' }],
      });
      expect(policyOf(docs, service).spec.egress!.length).toBe(egress.length - 1);
    }
  });

  it("reaches the release's CloudNativePG pods instead of CIDRs with the dev database", () => {
    const dev = renderChart<Doc>([...DEV_VALUES, '--set', 'networkPolicy.enabled=true']);
    expect(problemsOf(dev)).toEqual([]);
    const cluster = dev.find((d) => d.kind === 'Cluster')!.metadata.name;
    const devDeployments = dev.filter((d) => d.kind === 'Deployment');
    for (const service of SERVICE_NAMES) {
      expect(policyOf(dev, service).spec).toEqual(
        expectedPolicy(devDeployments, service, {
          to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': cluster } } }],
          ports: [{ port: 5432, protocol: 'TCP' }],
        }),
      );
    }
  });

  it('refuses to cut a bring-your-own database off: its addresses are required', () => {
    const result = spawnSync(
      HELM,
      ['template', 'x', CHART, '--kube-version', KUBE_VERSION].concat([
        '--set',
        'database.existingSecret=db',
        '--set',
        'networkPolicy.enabled=true',
      ]),
      { encoding: 'utf8' },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('networkPolicy.enabled: set networkPolicy.database.cidrs');
  });

  it('are off by default', () => {
    const defaults = renderChart<Doc>(['--set', 'database.existingSecret=shop-db']);
    expect(defaults.filter((d) => d.kind === 'NetworkPolicy')).toEqual([]);
  });
});
