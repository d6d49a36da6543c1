import YAML from 'yaml';
import { BROKER_METRICS } from '../monitoring/broker-alert-rules';
import { JMX_EXPORTER_RULES } from './jmx-exporter-rules';

interface ExporterConfig {
  lowercaseOutputName?: boolean;
  rules: Array<{ pattern: string; name: string; value?: number; labels?: Record<string, string> }>;
}

const config = YAML.parse(JMX_EXPORTER_RULES) as ExporterConfig;

/**
 * What the JMX exporter makes of one bean attribute: the first rule whose pattern matches
 * `<bean><attribute keys>attribute: value` (the exporter wraps each pattern in `^.*(?:…).*$`),
 * its name with the groups substituted, sanitised and lowercased. A text value is exported only
 * by a rule that gives the value itself. Java's and JS's regex syntax agree for everything these
 * rules use.
 */
function exported(
  bean: string,
  value: string | number = 42,
): { name: string; labels: Record<string, string> } | undefined {
  const input = `${bean}: ${value}`;
  for (const rule of config.rules) {
    const match = new RegExp(`^.*(?:${rule.pattern}).*$`);
    if (!match.test(input)) continue;
    if (typeof value === 'string' && rule.value === undefined) return undefined;
    const name = input
      .replace(match, rule.name)
      .replace(/[^a-zA-Z0-9:_]/g, '_')
      .replace(/__+/g, '_');
    const labels = Object.fromEntries(
      Object.entries(rule.labels ?? {}).map(([k, v]) => [k, input.replace(match, v)]),
    );
    return { name: config.lowercaseOutputName ? name.toLowerCase() : name, labels };
  }
  return undefined;
}

type Case = [bean: string, name: string, labels: Record<string, string>, value?: string];

/** Beans as a Kafka 4 KRaft node registers them, and what each becomes. */
const CASES: Case[] = [
  [
    'kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec, topic=orders><>Count',
    'kafka_server_brokertopicmetrics_messagesin_total',
    { topic: 'orders' },
  ],
  [
    'kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec><>Count',
    'kafka_server_brokertopicmetrics_messagesin_total',
    {},
  ],
  [
    'kafka.server<type=BrokerTopicMetrics, name=BytesInPerSec, topic=order-created><>Count',
    'kafka_server_brokertopicmetrics_bytesin_total',
    { topic: 'order-created' },
  ],
  [
    'kafka.server<type=BrokerTopicMetrics, name=BytesOutPerSec><>Count',
    'kafka_server_brokertopicmetrics_bytesout_total',
    {},
  ],
  [
    'kafka.server<type=BrokerTopicMetrics, name=TotalProduceRequestsPerSec><>Count',
    'kafka_server_brokertopicmetrics_totalproducerequests_total',
    {},
  ],
  [
    'kafka.server<type=BrokerTopicMetrics, name=TotalFetchRequestsPerSec><>Count',
    'kafka_server_brokertopicmetrics_totalfetchrequests_total',
    {},
  ],
  [
    'kafka.server<type=BrokerTopicMetrics, name=FailedProduceRequestsPerSec><>Count',
    'kafka_server_brokertopicmetrics_failedproducerequests_total',
    {},
  ],
  [
    'kafka.server<type=BrokerTopicMetrics, name=FailedFetchRequestsPerSec><>Count',
    'kafka_server_brokertopicmetrics_failedfetchrequests_total',
    {},
  ],
  [
    'kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value',
    'kafka_server_replicamanager_underreplicatedpartitions',
    {},
  ],
  [
    'kafka.server<type=ReplicaManager, name=UnderMinIsrPartitionCount><>Value',
    'kafka_server_replicamanager_underminisrpartitioncount',
    {},
  ],
  [
    'kafka.server<type=ReplicaManager, name=PartitionCount><>Value',
    'kafka_server_replicamanager_partitioncount',
    {},
  ],
  [
    'kafka.server<type=ReplicaManager, name=LeaderCount><>Value',
    'kafka_server_replicamanager_leadercount',
    {},
  ],
  [
    'kafka.server<type=KafkaServer, name=linux-disk-read-bytes><>Value',
    'kafka_server_kafkaserver_linux_disk_read_bytes',
    {},
  ],
  [
    'kafka.server<type=KafkaServer, name=linux-disk-write-bytes><>Value',
    'kafka_server_kafkaserver_linux_disk_write_bytes',
    {},
  ],
  [
    'kafka.server<type=FetcherLagMetrics, name=ConsumerLag, clientId=ReplicaFetcherThread-0-1, topic=orders, partition=3><>Value',
    'kafka_server_fetcherlagmetrics_consumerlag',
    { clientId: 'ReplicaFetcherThread-0-1', topic: 'orders', partition: '3' },
  ],
  [
    'kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>OneMinuteRate',
    'kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent',
    {},
  ],
  [
    'kafka.network<type=SocketServer, name=NetworkProcessorAvgIdlePercent><>Value',
    'kafka_network_socketserver_networkprocessoravgidle_percent',
    {},
  ],
  [
    'kafka.server<type=socket-server-metrics, listener=TLS-9093, networkProcessor=3><>connection-count',
    'kafka_server_socket_server_metrics_connection_count',
    { listener: 'TLS-9093', networkProcessor: '3' },
  ],
  [
    'kafka.server<type=socket-server-metrics, listener=TLS-9093, networkProcessor=3><>connection-creation-total',
    'kafka_server_socket_server_metrics_connection_creation_total',
    { listener: 'TLS-9093', networkProcessor: '3' },
  ],
  [
    'kafka.server<type=raft-metrics><>current-state',
    'kafka_server_raftmetrics_current_state',
    { current_state: 'leader' },
    'leader',
  ],
  [
    'kafka.server<type=raft-metrics><>current-leader',
    'kafka_server_raftmetrics_current_leader',
    {},
  ],
  ['kafka.server<type=raft-metrics><>current-epoch', 'kafka_server_raftmetrics_current_epoch', {}],
  ['kafka.server<type=raft-metrics><>current-vote', 'kafka_server_raftmetrics_current_vote', {}],
  [
    'kafka.server<type=raft-metrics><>high-watermark',
    'kafka_server_raftmetrics_high_watermark',
    {},
  ],
  [
    'kafka.server<type=raft-metrics><>log-end-offset',
    'kafka_server_raftmetrics_log_end_offset',
    {},
  ],
  [
    'kafka.server<type=raft-metrics><>commit-latency-avg',
    'kafka_server_raftmetrics_commit_latency_avg',
    {},
  ],
  [
    'kafka.server<type=raft-metrics><>append-records-rate',
    'kafka_server_raftmetrics_append_records_rate',
    {},
  ],
  [
    'kafka.server<type=raft-metrics><>fetch-records-rate',
    'kafka_server_raftmetrics_fetch_records_rate',
    {},
  ],
  [
    'kafka.server<type=raft-channel-metrics><>incoming-byte-total',
    'kafka_server_raftchannelmetrics_incoming_byte_total',
    {},
  ],
  [
    'kafka.server<type=raft-channel-metrics><>outgoing-byte-total',
    'kafka_server_raftchannelmetrics_outgoing_byte_total',
    {},
  ],
  [
    'kafka.server<type=raft-channel-metrics><>request-total',
    'kafka_server_raftchannelmetrics_request_total',
    {},
  ],
  [
    'kafka.server<type=raft-channel-metrics><>response-total',
    'kafka_server_raftchannelmetrics_response_total',
    {},
  ],
  [
    'kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value',
    'kafka_controller_kafkacontroller_activecontrollercount',
    {},
  ],
  [
    'kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value',
    'kafka_controller_kafkacontroller_offlinepartitionscount',
    {},
  ],
  [
    'kafka.controller<type=ControllerStats, name=UncleanLeaderElectionsPerSec><>Count',
    'kafka_controller_controllerstats_uncleanleaderelections_total',
    {},
  ],
  [
    'kafka.cluster<type=Partition, name=UnderMinIsr, topic=orders, partition=2><>Value',
    'kafka_cluster_partition_underminisr',
    { topic: 'orders', partition: '2' },
  ],
  [
    'kafka.cluster<type=Partition, name=AtMinIsr, topic=orders, partition=2><>Value',
    'kafka_cluster_partition_atminisr',
    { topic: 'orders', partition: '2' },
  ],
  [
    'kafka.network<type=RequestMetrics, name=TotalTimeMs, request=Produce><>Count',
    'kafka_network_requestmetrics_totaltimems_total',
    { request: 'Produce' },
  ],
  [
    // Kafka 4 names the API version of RequestsPerSec: a label of its own, not part of request.
    'kafka.network<type=RequestMetrics, name=RequestsPerSec, request=Produce, version=9><>Count',
    'kafka_network_requestmetrics_requestspersec_total',
    { request: 'Produce', version: '9' },
  ],
  [
    'kafka.log<type=Log, name=Size, topic=orders, partition=0><>Value',
    'kafka_log_log_size',
    { topic: 'orders', partition: '0' },
  ],
  [
    'kafka.log<type=LogManager, name=OfflineLogDirectoryCount><>Value',
    'kafka_log_logmanager_offlinelogdirectorycount',
    {},
  ],
];

/**
 * What Strimzi's Kafka and KRaft Grafana dashboards (examples/metrics/grafana-dashboards,
 * strimzi-kafka.json and strimzi-kraft.json) query from the brokers' JMX exporter; jvm_* and
 * process_* come from the exporter itself, container_* and kubelet_* from the kubelet.
 */
const STRIMZI_DASHBOARD_METRICS = [
  'kafka_cluster_partition_atminisr',
  'kafka_cluster_partition_underminisr',
  'kafka_controller_controllerstats_uncleanleaderelections_total',
  'kafka_controller_kafkacontroller_activecontrollercount',
  'kafka_controller_kafkacontroller_offlinepartitionscount',
  'kafka_log_log_size',
  'kafka_network_socketserver_networkprocessoravgidle_percent',
  'kafka_server_brokertopicmetrics_bytesin_total',
  'kafka_server_brokertopicmetrics_bytesout_total',
  'kafka_server_brokertopicmetrics_failedfetchrequests_total',
  'kafka_server_brokertopicmetrics_failedproducerequests_total',
  'kafka_server_brokertopicmetrics_messagesin_total',
  'kafka_server_brokertopicmetrics_totalfetchrequests_total',
  'kafka_server_brokertopicmetrics_totalproducerequests_total',
  'kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent',
  'kafka_server_kafkaserver_linux_disk_read_bytes',
  'kafka_server_kafkaserver_linux_disk_write_bytes',
  'kafka_server_replicamanager_leadercount',
  'kafka_server_replicamanager_partitioncount',
  'kafka_server_replicamanager_underreplicatedpartitions',
  'kafka_server_socket_server_metrics_connection_count',
  'kafka_server_raftchannelmetrics_incoming_byte_total',
  'kafka_server_raftchannelmetrics_outgoing_byte_total',
  'kafka_server_raftchannelmetrics_request_total',
  'kafka_server_raftchannelmetrics_response_total',
  'kafka_server_raftmetrics_append_records_rate',
  'kafka_server_raftmetrics_commit_latency_avg',
  'kafka_server_raftmetrics_current_epoch',
  'kafka_server_raftmetrics_current_leader',
  'kafka_server_raftmetrics_current_state',
  'kafka_server_raftmetrics_current_vote',
  'kafka_server_raftmetrics_fetch_records_rate',
  'kafka_server_raftmetrics_high_watermark',
  'kafka_server_raftmetrics_log_end_offset',
];

describe('the brokers’ JMX exporter rules', () => {
  // Every row as long as the test's parameters: jest hands a shorter row a done callback.
  it.each(CASES.map(([bean, name, labels, value]) => [bean, name, labels, value ?? 42]))(
    'exports %s as %s',
    (bean, name, labels, value) => {
      expect(exported(bean, value)).toEqual({ name, labels });
    },
  );

  const names = new Set(CASES.map((c) => c[1]));

  it.each(Object.values(BROKER_METRICS))('exports %s, which a broker alert reads', (name) => {
    expect(names).toContain(name);
  });

  it.each(STRIMZI_DASHBOARD_METRICS)('exports %s, which Strimzi’s dashboards read', (name) => {
    expect(names).toContain(name);
  });

  it('leaves out the rates the exporter would only duplicate (Prometheus computes them)', () => {
    expect(
      exported('kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec><>OneMinuteRate'),
    ).toBeUndefined();
  });

  it('exports no text value without a rule that gives the number', () => {
    expect(exported('kafka.server<type=app-info><>version', '4.3.1')).toBeUndefined();
  });
});
