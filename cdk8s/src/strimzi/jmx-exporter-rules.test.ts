import YAML from 'yaml';
import { JMX_EXPORTER_RULES } from './jmx-exporter-rules';

interface ExporterConfig {
  lowercaseOutputName?: boolean;
  rules: Array<{ pattern: string; name: string; labels?: Record<string, string> }>;
}

const config = YAML.parse(JMX_EXPORTER_RULES) as ExporterConfig;

/**
 * What the JMX exporter makes of one bean attribute: the first rule whose pattern matches
 * `<bean><attribute keys>attribute: value` (the exporter wraps each pattern in `^.*(?:…).*$`),
 * its name with the groups substituted, sanitised and lowercased. Java's and JS's regex syntax
 * agree for everything these rules use.
 */
function exported(bean: string): { name: string; labels: Record<string, string> } | undefined {
  const input = `${bean}: 42`;
  for (const rule of config.rules) {
    const match = new RegExp(`^.*(?:${rule.pattern}).*$`);
    if (!match.test(input)) continue;
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

describe('the brokers’ JMX exporter rules', () => {
  it.each([
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
      'kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value',
      'kafka_server_replicamanager_underreplicatedpartitions',
      {},
    ],
    [
      'kafka.server<type=ReplicaManager, name=PartitionCount><>Value',
      'kafka_server_replicamanager_partitioncount',
      {},
    ],
    [
      'kafka.server<type=FetcherLagMetrics, name=ConsumerLag, clientId=ReplicaFetcherThread-0-1, topic=orders, partition=3><>Value',
      'kafka_server_fetcherlagmetrics_consumerlag',
      { clientId: 'ReplicaFetcherThread-0-1', topic: 'orders', partition: '3' },
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
      'kafka_controller_controllerstats_uncleanleaderelectionspersec',
      {},
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
  ])('exports %s as %s', (bean, name, labels) => {
    expect(exported(bean)).toEqual({ name, labels });
  });

  it('leaves out the rates the exporter would only duplicate (Prometheus computes them)', () => {
    expect(
      exported('kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec><>OneMinuteRate'),
    ).toBeUndefined();
  });
});
