/**
 * Prometheus JMX exporter rules for the brokers: the usual server, network and log metrics.
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
  - pattern: kafka.server<type=(.+), name=(.+)PerSec\\w*, topic=(.+)><>Count
    name: kafka_server_$1_$2_total
    type: COUNTER
    labels:
      topic: "$3"
  - pattern: kafka.server<type=(.+), name=(.+)PerSec\\w*><>Count
    name: kafka_server_$1_$2_total
    type: COUNTER
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
  - pattern: kafka.controller<type=(.+), name=(.+)><>(Count|Value)
    name: kafka_controller_$1_$2
    type: GAUGE
`;
