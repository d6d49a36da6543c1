import {
  BROKER_ALERT_THRESHOLDS,
  BROKER_METRICS,
  CERTIFICATE_EXPIRY_METRIC,
} from '../src/monitoring/broker-alert-rules';
import {
  EVAL_SECONDS,
  NS,
  OTHER_NS,
  aroundBelow,
  below,
  firing,
  flat,
  sel,
  type AlertCase,
  type Series,
} from './alert-cases';

const CLUSTER = 'shop-kafka';
const pod = (id: number, namespace = NS) => ({
  namespace,
  pod: `${CLUSTER}-dual-role-${id}`,
  container: 'kafka',
  job: `${namespace}/kafka-shop-kafka-brokers`,
});
/** One value per broker of a three-node pool. */
const perBroker = (metric: string, values: number[], namespace = NS): Series[] =>
  values.map((v, id) => ({ series: `${metric}${sel(pod(id, namespace))}`, values: flat(v) }));
const byPod = (id: number, namespace = NS) => ({ namespace, pod: pod(id, namespace).pod });

const CAPACITY = 100_000_000_000;
/** A data volume of the generated node pool, as the kubelet reports it. */
const volume = (pvc: string, freeRatio: number, namespace = NS): Series[] => {
  const labels = { namespace, persistentvolumeclaim: pvc, job: 'kubelet', node: 'node-1' };
  return [
    { series: `kubelet_volume_stats_capacity_bytes${sel(labels)}`, values: flat(CAPACITY) },
    {
      series: `kubelet_volume_stats_available_bytes${sel(labels)}`,
      values: flat(Math.round(CAPACITY * freeRatio)),
    },
  ];
};
const DATA_0 = `data-0-${CLUSTER}-dual-role-0`;

/** The CA gauge as scraped from the operator in its own namespace. */
const certificate = (secondsLeft: number, type = 'cluster-ca', cluster = CLUSTER): Series => ({
  series: `${CERTIFICATE_EXPIRY_METRIC}${sel({ namespace: 'kafka', pod: 'strimzi-cluster-operator-7d9f', kind: 'Kafka', cluster, type, resource_namespace: NS })}`,
  values: flat((EVAL_SECONDS + secondsLeft) * 1000),
});
const DAY = 24 * 60 * 60;

export function brokerCases(): AlertCase[] {
  const out: AlertCase[] = [
    {
      name: 'a broker leads under-replicated partitions',
      alertname: 'KafkaUnderReplicatedPartitions',
      series: perBroker(BROKER_METRICS.underReplicated, [0, 4, 0]),
      alerts: firing(['warning'], byPod(1), 4),
    },
    {
      name: 'every partition fully replicated',
      alertname: 'KafkaUnderReplicatedPartitions',
      series: perBroker(BROKER_METRICS.underReplicated, [0, 0, 0]),
      alerts: [],
    },
    {
      name: 'under-replicated partitions in one namespace only',
      alertname: 'KafkaUnderReplicatedPartitions',
      series: [
        ...perBroker(BROKER_METRICS.underReplicated, [0, 0, 0]),
        ...perBroker(BROKER_METRICS.underReplicated, [2, 0, 0], OTHER_NS),
      ],
      alerts: firing(['warning'], byPod(0, OTHER_NS), 2),
    },
    {
      name: 'a broker leads partitions below min ISR',
      alertname: 'KafkaUnderMinIsrPartitions',
      series: perBroker(BROKER_METRICS.underMinIsr, [0, 0, 1]),
      alerts: firing(['critical'], byPod(2), 1),
    },
    {
      name: 'every partition at or above min ISR',
      alertname: 'KafkaUnderMinIsrPartitions',
      series: perBroker(BROKER_METRICS.underMinIsr, [0, 0, 0]),
      alerts: [],
    },
    {
      name: 'the active controller reports offline partitions',
      alertname: 'KafkaOfflinePartitions',
      series: perBroker(BROKER_METRICS.offlinePartitions, [0, 3, 0]),
      alerts: firing(['critical'], { namespace: NS }, 3),
    },
    {
      name: 'no offline partition',
      alertname: 'KafkaOfflinePartitions',
      series: perBroker(BROKER_METRICS.offlinePartitions, [0, 0, 0]),
      alerts: [],
    },
    {
      name: 'one active controller',
      alertname: 'KafkaControllerState',
      series: perBroker(BROKER_METRICS.activeControllers, [0, 1, 0]),
      alerts: [],
    },
    {
      name: 'no active controller',
      alertname: 'KafkaControllerState',
      series: perBroker(BROKER_METRICS.activeControllers, [0, 0, 0]),
      alerts: firing(['critical'], { namespace: NS }, 0),
    },
    {
      name: 'two active controllers',
      alertname: 'KafkaControllerState',
      series: perBroker(BROKER_METRICS.activeControllers, [1, 1, 0]),
      alerts: firing(['warning'], { namespace: NS }, 2),
    },
    {
      // Summed across namespaces these would read as exactly one active controller.
      name: 'one active controller in one namespace, none in another',
      alertname: 'KafkaControllerState',
      series: [
        ...perBroker(BROKER_METRICS.activeControllers, [1, 0, 0]),
        ...perBroker(BROKER_METRICS.activeControllers, [0, 0, 0], OTHER_NS),
      ],
      alerts: firing(['critical'], { namespace: OTHER_NS }, 0),
    },
    {
      name: 'a volume outside the Kafka cluster fills up',
      alertname: 'KafkaDataVolumeFull',
      series: [...volume('data-postgres-1', 0.01), ...volume(DATA_0, 0.5)],
      alerts: [],
    },
    {
      name: 'a data volume of the cluster without JBOD numbering fills up',
      alertname: 'KafkaDataVolumeFull',
      series: volume(`data-${CLUSTER}-brokers-4`, 0.04),
      alerts: firing(
        ['warning', 'critical'],
        {
          namespace: NS,
          persistentvolumeclaim: `data-${CLUSTER}-brokers-4`,
        },
        0.04,
      ),
    },
    {
      name: 'CA certificates of another Kafka cluster',
      alertname: 'KafkaCertificateExpiring',
      series: [certificate(DAY, 'cluster-ca', 'other-kafka')],
      alerts: [],
    },
  ];
  for (const free of aroundBelow(BROKER_ALERT_THRESHOLDS.diskFreeRatio, 0.001))
    out.push({
      name: `data volume ${free * 100}% free`,
      alertname: 'KafkaDataVolumeFull',
      series: volume(DATA_0, free),
      alerts: firing(
        below(free, BROKER_ALERT_THRESHOLDS.diskFreeRatio),
        { namespace: NS, persistentvolumeclaim: DATA_0 },
        free,
      ),
    });
  for (const left of aroundBelow(BROKER_ALERT_THRESHOLDS.certificateSeconds, 1))
    for (const type of ['cluster-ca', 'client-ca'])
      out.push({
        name: `${type} expires in ${left} s`,
        alertname: 'KafkaCertificateExpiring',
        series: [certificate(left, type)],
        alerts: firing(
          below(left, BROKER_ALERT_THRESHOLDS.certificateSeconds),
          { namespace: NS, cluster: CLUSTER, type },
          left,
        ),
      });
  return out;
}
