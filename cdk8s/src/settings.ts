/** What the generated manifests assume about the cluster; override at synth time. */
export interface ClusterSettings {
  /** Namespace of the services and the Kafka cluster. */
  readonly namespace: string;
  /** kube-prometheus-stack selects rules and monitors by `release: <helm release>`. */
  readonly prometheusRelease: string;
  /** Strimzi `Kafka` resource name: pods are `<cluster>-<pool>-<id>`. */
  readonly kafkaCluster: string;
  /** Namespace of the Strimzi cluster operator, whose metrics tell when the cluster's CAs expire. */
  readonly strimziNamespace: string;
  /**
   * docs/runbook.md, with a heading per alert; each alert links to its own. An absolute URL, so
   * the link works where alerts are read (Alertmanager, Grafana); a fork sets RUNBOOK_BASE_URL.
   */
  readonly runbookBaseUrl: string;
}

export function clusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  return {
    namespace: env.SHOP_NAMESPACE ?? 'shop',
    prometheusRelease: env.PROMETHEUS_RELEASE ?? 'kube-prometheus-stack',
    kafkaCluster: env.KAFKA_CLUSTER ?? 'shop-kafka',
    strimziNamespace: env.STRIMZI_NAMESPACE ?? 'kafka',
    runbookBaseUrl: runbookBaseUrl(env.RUNBOOK_BASE_URL),
  };
}

/** The runbook where this repository is published; a fork sets RUNBOOK_BASE_URL at `npm run synth`. */
export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/kafka-shop/kafka-shop/blob/main/docs/runbook.md';

/** RUNBOOK_BASE_URL, refused unless an absolute http(s) URL without a fragment (alerts add theirs). */
function runbookBaseUrl(given: string | undefined): string {
  if (given === undefined || given === '') return DEFAULT_RUNBOOK_BASE_URL;
  const url = URL.canParse(given) ? new URL(given) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || given.includes('#'))
    throw new Error(
      `RUNBOOK_BASE_URL must be docs/runbook.md's absolute http(s) URL without a #fragment, e.g. https://github.com/<org>/kafka-shop/blob/main/docs/runbook.md (got '${given}')`,
    );
  return given;
}

/** Labels every generated object carries, so it is obvious where it came from. */
export const GENERATED_LABELS = {
  'app.kubernetes.io/part-of': 'kafka-shop',
  'app.kubernetes.io/managed-by': 'cdk8s',
};
