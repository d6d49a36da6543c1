/** What the generated manifests assume about the cluster; override at synth time. */
export interface ClusterSettings {
  /** Namespace of the services and the Kafka cluster. */
  readonly namespace: string;
  /** kube-prometheus-stack selects rules and monitors by `release: <helm release>`. */
  readonly prometheusRelease: string;
  /** Strimzi `Kafka` resource name: pods are `<cluster>-<pool>-<id>`. */
  readonly kafkaCluster: string;
  /** Where the alerts' runbooks live: the README's Runbook section. */
  readonly runbookBaseUrl: string;
}

export function clusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  return {
    namespace: env.SHOP_NAMESPACE ?? 'shop',
    prometheusRelease: env.PROMETHEUS_RELEASE ?? 'kube-prometheus-stack',
    kafkaCluster: env.KAFKA_CLUSTER ?? 'shop-kafka',
    runbookBaseUrl: env.RUNBOOK_BASE_URL ?? 'README.md',
  };
}

/** Labels every generated object carries, so it is obvious where it came from. */
export const GENERATED_LABELS = {
  'app.kubernetes.io/part-of': 'kafka-shop',
  'app.kubernetes.io/managed-by': 'cdk8s',
};
