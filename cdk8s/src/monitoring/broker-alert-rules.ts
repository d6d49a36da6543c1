import { tiered, type AlertSpecGroup } from './alert-spec';

const DAY = 24 * 60 * 60;

/** What is left before a broker volume or a Strimzi CA runs out. */
export const BROKER_ALERT_THRESHOLDS = {
  /** Free share of a Kafka data volume. */
  diskFreeRatio: { warning: 0.15, critical: 0.05 },
  /**
   * Seconds until a CA certificate expires. Strimzi renews its CAs 30 days ahead (renewalDays),
   * so a CA this close has missed its renewal: the operator is down, or the CA is user-managed.
   */
  certificateSeconds: { warning: 21 * DAY, critical: 7 * DAY },
} as const;

/** The JMX exporter's names for the broker and controller beans (jmx-exporter-rules.ts). */
export const BROKER_METRICS = {
  underReplicated: 'kafka_server_replicamanager_underreplicatedpartitions',
  underMinIsr: 'kafka_server_replicamanager_underminisrpartitioncount',
  offlinePartitions: 'kafka_controller_kafkacontroller_offlinepartitionscount',
  activeControllers: 'kafka_controller_kafkacontroller_activecontrollercount',
} as const;

/** The gauge Strimzi's cluster operator exports per CA (labels cluster, type, resource_namespace). */
export const CERTIFICATE_EXPIRY_METRIC = 'strimzi_certificate_expiration_timestamp_ms';

const escape = (name: string) => name.replace(/\./g, '\\\\.');

/**
 * The health of the Strimzi cluster itself, beside the guide's alerts: what a Strimzi user expects
 * to be told before producers are refused or data is lost.
 */
export function brokerAlerts(kafkaCluster: string): AlertSpecGroup[] {
  const cluster = escape(kafkaCluster);
  // Strimzi names a node's volume data-<volume id>-<pod> in JBOD storage and data-<pod> otherwise;
  // pods are <cluster>-<pool>-<node id>.
  const dataVolume = `persistentvolumeclaim=~"data(-[0-9]+)?-${cluster}-.+-[0-9]+"`;
  const freeRatio =
    `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes{${dataVolume}})` +
    ` / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${dataVolume}})`;
  // The operator runs in a namespace of its own; the CA belongs to the Kafka's namespace.
  const certificateSecondsLeft = `min by (namespace, cluster, type) (label_replace(${CERTIFICATE_EXPIRY_METRIC}{cluster="${kafkaCluster}"}, "namespace", "$1", "resource_namespace", "(.+)")) / 1000 - time()`;
  const activeControllers = `sum by (namespace) (${BROKER_METRICS.activeControllers}{pod=~"${cluster}-.+"})`;
  return [
    {
      name: 'kafka-shop.kafka-cluster',
      rules: [
        {
          alert: 'KafkaUnderReplicatedPartitions',
          expr: `sum by (namespace, pod) (${BROKER_METRICS.underReplicated}) > 0`,
          // A rolling update under-replicates each broker's partitions while it restarts.
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.pod }} leads {{ $value }} under-replicated partitions',
            description:
              'Partitions led by {{ $labels.pod }} have fewer in-sync replicas than replicas for 10 minutes: a broker is down, slow or cannot reach the leader.',
          },
        },
        {
          alert: 'KafkaUnderMinIsrPartitions',
          expr: `sum by (namespace, pod) (${BROKER_METRICS.underMinIsr}) > 0`,
          for: '2m',
          labels: { severity: 'critical' },
          annotations: {
            summary: '{{ $labels.pod }} leads {{ $value }} partitions below min.insync.replicas',
            description:
              'Producers with acks=all (every service) are refused on these partitions: the outboxes fill and consumers stall.',
          },
        },
        {
          alert: 'KafkaOfflinePartitions',
          expr: `max by (namespace) (${BROKER_METRICS.offlinePartitions}) > 0`,
          for: '1m',
          labels: { severity: 'critical' },
          annotations: {
            summary: '{{ $value }} partitions have no leader',
            description:
              'The KRaft controllers report {{ $value }} partitions without a leader: nothing can be written to or read from them.',
          },
        },
        {
          alert: 'KafkaControllerState',
          expr: `${activeControllers} == 0`,
          for: '1m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'The Kafka cluster has no active controller',
            description:
              'No KRaft controller of {{ $labels.namespace }} is active: no leader elections, topic or ACL changes happen.',
          },
        },
        {
          alert: 'KafkaControllerState',
          expr: `${activeControllers} > 1`,
          for: '1m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'The Kafka cluster has {{ $value }} active controllers',
            description:
              'More than one KRaft controller of {{ $labels.namespace }} reports itself active for a minute: a split quorum, or two clusters scraped as one.',
          },
        },
        ...tiered(
          'KafkaDataVolumeFull',
          freeRatio,
          '<',
          BROKER_ALERT_THRESHOLDS.diskFreeRatio,
          '5m',
          (t) => ({
            summary: `{{ $labels.persistentvolumeclaim }} has less than ${t * 100}% free`,
            description:
              'Only {{ $value | humanizePercentage }} of Kafka data volume {{ $labels.persistentvolumeclaim }} is free; a full volume stops its broker.',
          }),
        ),
        ...tiered(
          'KafkaCertificateExpiring',
          certificateSecondsLeft,
          '<',
          BROKER_ALERT_THRESHOLDS.certificateSeconds,
          // A timestamp only moves towards expiry: nothing to wait out.
          undefined,
          (t) => ({
            summary: `The {{ $labels.type }} of {{ $labels.cluster }} expires in less than ${t / DAY} days`,
            description:
              'Strimzi has not renewed the {{ $labels.type }} of Kafka {{ $labels.cluster }}; it expires in {{ $value | humanizeDuration }}.',
          }),
        ),
      ],
    },
  ];
}
