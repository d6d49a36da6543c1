/**
 * Prometheus JMX exporter rules for the brokers: what the broker-health alerts
 * (cdk8s/src/monitoring/broker-alert-rules.ts) and Strimzi's Kafka and KRaft Grafana dashboards
 * read, under the names those dashboards query. The exporter matches each rule against
 * `<bean><attribute keys>attribute: value` and takes the first rule that matches, so specific
 * rules come before the generic ones.
 *
 * A template literal: `\\w` here is `\w` in the YAML, which a plain scalar passes to Java's regex
 * untouched (one more backslash would make it a literal backslash and the rule match nothing).
 */
export const JMX_EXPORTER_RULES = `lowercaseOutputName: true
rules:
  - pattern: kafka.server<type=(.+), name=(.+), clientId=(.+), topic=(.+), partition=(.*)><>Value
    name: kafka_server_$1_$2
    type: GAUGE
    labels:
      clientId: "$3"
      topic: "$4"
      partition: "$5"
  # Idle ratios (0..1): request handlers are a meter, whose last minute is what an operator wants;
  # network processors a gauge.
  - pattern: kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>OneMinuteRate
    name: kafka_$1_$2_$3_percent
    type: GAUGE
  - pattern: kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>Value
    name: kafka_$1_$2_$3_percent
    type: GAUGE
  - pattern: kafka.server<type=(.+), name=(.+)PerSec\\w*, topic=(.+)><>Count
    name: kafka_server_$1_$2_total
    type: COUNTER
    labels:
      topic: "$3"
  - pattern: kafka.server<type=(.+), name=(.+)PerSec\\w*><>Count
    name: kafka_server_$1_$2_total
    type: COUNTER
  # Kafka's own metrics (attribute names with hyphens), per listener and network processor.
  - pattern: kafka.server<type=([\\w-]+), listener=([^,]+), networkProcessor=([^,>]+)><>([\\w-]+-total)
    name: kafka_server_$1_$4
    type: COUNTER
    labels:
      listener: "$2"
      networkProcessor: "$3"
  - pattern: kafka.server<type=([\\w-]+), listener=([^,]+), networkProcessor=([^,>]+)><>([\\w-]+)
    name: kafka_server_$1_$4
    type: GAUGE
    labels:
      listener: "$2"
      networkProcessor: "$3"
  # The KRaft quorum as each node sees it; current-state is text (leader, follower, ...).
  - pattern: "kafka.server<type=raft-metrics><>current-state: ([\\\\w-]+)"
    name: kafka_server_raftmetrics_current_state
    type: GAUGE
    value: 1
    labels:
      current_state: "$1"
  - pattern: kafka.server<type=raft-metrics><>([\\w-]+-total)
    name: kafka_server_raftmetrics_$1
    type: COUNTER
  - pattern: kafka.server<type=raft-metrics><>([\\w-]+)
    name: kafka_server_raftmetrics_$1
    type: GAUGE
  - pattern: kafka.server<type=raft-channel-metrics><>([\\w-]+-total)
    name: kafka_server_raftchannelmetrics_$1
    type: COUNTER
  - pattern: kafka.server<type=raft-channel-metrics><>([\\w-]+)
    name: kafka_server_raftchannelmetrics_$1
    type: GAUGE
  - pattern: kafka.server<type=(.+), name=(.+)><>Value
    name: kafka_server_$1_$2
    type: GAUGE
  - pattern: kafka.network<type=(.+), name=(.+), request=([^,]+), version=(.+)><>Count
    name: kafka_network_$1_$2_total
    type: COUNTER
    labels:
      request: "$3"
      version: "$4"
  - pattern: kafka.network<type=(.+), name=(.+), request=([^,]+)><>Count
    name: kafka_network_$1_$2_total
    type: COUNTER
    labels:
      request: "$3"
  - pattern: kafka.log<type=(.+), name=(.+), topic=(.+), partition=(.+)><>Value
    name: kafka_log_$1_$2
    type: GAUGE
    labels:
      topic: "$3"
      partition: "$4"
  - pattern: kafka.log<type=(.+), name=(.+)><>Value
    name: kafka_log_$1_$2
    type: GAUGE
  # Per partition, from its leader: under / at min.insync.replicas, under-replicated.
  - pattern: kafka.cluster<type=(.+), name=(.+), topic=(.+), partition=(.+)><>Value
    name: kafka_cluster_$1_$2
    type: GAUGE
    labels:
      topic: "$3"
      partition: "$4"
  - pattern: kafka.controller<type=(.+), name=(.+)PerSec\\w*><>Count
    name: kafka_controller_$1_$2_total
    type: COUNTER
  - pattern: kafka.controller<type=(.+), name=(.+)><>Value
    name: kafka_controller_$1_$2
    type: GAUGE
`;
