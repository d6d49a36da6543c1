import {
  NS,
  OTHER_NS,
  aroundAtOrAbove,
  atOrAbove,
  firing,
  flat,
  rising,
  sel,
  type AlertCase,
  type Series,
} from './alert-cases';

/**
 * The guide's thresholds and the project's `for:` window, written out here rather than read from
 * the catalog the rules are generated from: a threshold moved there must fail this test.
 */
const GUIDE = {
  errorRate: { warning: 0.05, critical: 0.1 },
  processingTimeSeconds: { warning: 5, critical: 10 },
  consumerLag: { warning: 1000, critical: 5000 },
};
const FOR_MINUTES = 5;

const ST = { namespace: NS, service: 'inventory-service', topic: 'order-created' };
const GROUP = { namespace: NS, consumergroup: 'inventory-service-group', topic: 'order-created' };
const ORDER = { namespace: NS, service: 'order-service' };

/**
 * Error and processed counters for an error ratio. 1,200 records a minute make the 5-minute
 * rates exact binary numbers (6,000 / 300 s = 20), so a ratio of exactly 5 % or 10 % reaches
 * the comparison as the threshold itself.
 */
const errorSeries = (labels: Record<string, string>, ratio: number): Series[] => [
  {
    series: `kafka_messages_processed_total${sel({ ...labels, status: 'success' })}`,
    values: rising(1200),
  },
  {
    series: `kafka_messages_error_total${sel({ ...labels, status: 'retry' })}`,
    values: rising(1200 * ratio),
  },
];

const lagSeries = (labels: Record<string, string>, lag: number): Series[] => [
  {
    series: `kafka_consumergroup_lag${sel({ ...labels, partition: '0' })}`,
    values: flat(lag - 100),
  },
  { series: `kafka_consumergroup_lag${sel({ ...labels, partition: '1' })}`, values: flat(100) },
];

/** One scrape target per service in a namespace, each answering (1) or not (0) all along. */
export const upOf = (namespace: string, services: string[], up: 0 | 1): Series[] =>
  services.map((service, i) => ({
    series: `up${sel({ namespace, service, instance: `10.0.0.${i + 10}:8080`, job: `${namespace}/kafka-shop-services` })}`,
    values: flat(up),
  }));

const ALL = ['order-service', 'inventory-service', 'payment-service', 'notification-service'];

export function messagingCases(): AlertCase[] {
  const { errorRate, processingTimeSeconds, consumerLag } = GUIDE;
  const out: AlertCase[] = [];
  for (const ratio of aroundAtOrAbove(errorRate, 0.001))
    out.push({
      name: `error rate ${ratio}`,
      alertname: 'KafkaMessageErrorRate',
      series: errorSeries(ST, ratio),
      alerts: firing(atOrAbove(ratio, errorRate), ST, ratio),
    });
  for (const seconds of aroundAtOrAbove(processingTimeSeconds, 0.1))
    out.push({
      name: `processing time ${seconds}s`,
      alertname: 'KafkaMessageProcessingTime',
      series: [
        {
          series: `kafka_messages_processing_time_seconds_sum${sel({ ...ST, status: 'success' })}`,
          values: rising(60 * seconds),
        },
        {
          series: `kafka_messages_processing_time_seconds_count${sel({ ...ST, status: 'success' })}`,
          values: rising(60),
        },
      ],
      alerts: firing(atOrAbove(seconds, processingTimeSeconds), ST, seconds),
    });
  for (const lag of aroundAtOrAbove(consumerLag, 1))
    out.push({
      name: `consumer lag ${lag}`,
      alertname: 'KafkaConsumerLag',
      series: lagSeries(GROUP, lag),
      alerts: firing(atOrAbove(lag, consumerLag), GROUP, lag),
    });
  // `for:` — a rate has a value from the second sample (minute 1), an instant series from minute 0:
  // one minute short of the window nothing fires, at the window both severities do.
  const held = (first: number): Array<[string, number, boolean]> => [
    ['one minute short of', first + FOR_MINUTES - 1, false],
    ['exactly', first + FOR_MINUTES, true],
  ];
  for (const [what, minute, fires] of held(1))
    out.push({
      name: `error rate 10 % held ${what} ${FOR_MINUTES} minutes`,
      alertname: 'KafkaMessageErrorRate',
      series: errorSeries(ST, 0.1),
      evalMinutes: minute,
      alerts: fires ? firing(['warning', 'critical'], ST, 0.1) : [],
    });
  for (const [what, minute, fires] of held(0))
    out.push({
      name: `lag 5000 held ${what} ${FOR_MINUTES} minutes`,
      alertname: 'KafkaConsumerLag',
      series: lagSeries(GROUP, 5000),
      evalMinutes: minute,
      alerts: fires ? firing(['warning', 'critical'], GROUP, 5000) : [],
    });
  const other = { ...ST, namespace: OTHER_NS };
  const otherGroup = { ...GROUP, namespace: OTHER_NS };
  out.push(
    {
      // Summed across namespaces the two would be one 7.45 % warning without a namespace.
      name: 'error rate 10 % in one namespace, 4.9 % in another',
      alertname: 'KafkaMessageErrorRate',
      series: [...errorSeries(ST, 0.1), ...errorSeries(other, 0.049)],
      alerts: firing(['warning', 'critical'], ST, 0.1),
    },
    {
      // A critical lag in one namespace must not inhibit the other namespace's warning.
      name: 'lag 5000 in one namespace, 1000 in another',
      alertname: 'KafkaConsumerLag',
      series: [...lagSeries(GROUP, 5000), ...lagSeries(otherGroup, 1000)],
      alerts: [
        ...firing(['warning', 'critical'], GROUP, 5000),
        ...firing(['warning'], otherGroup, 1000),
      ],
    },
    {
      name: 'a record reaches a DLQ',
      alertname: 'KafkaMessagesDeadLettered',
      series: [
        { series: `kafka_messages_dlq_total${sel({ ...ST, status: 'dlq' })}`, values: '0x21 1x9' },
      ],
      alerts: firing(['warning'], ST),
    },
    {
      name: 'no record reaches a DLQ',
      alertname: 'KafkaMessagesDeadLettered',
      series: [
        { series: `kafka_messages_dlq_total${sel({ ...ST, status: 'dlq' })}`, values: flat(3) },
      ],
      alerts: [],
    },
  );
  return out;
}

export function outboxCases(): AlertCase[] {
  const age = (labels: Record<string, string>, seconds: number) => ({
    series: `outbox_oldest_unpublished_age_seconds${sel(labels)}`,
    values: flat(seconds),
  });
  return [
    {
      name: 'an outbox event waits 61 s',
      alertname: 'OutboxEventsStale',
      series: [age(ORDER, 61)],
      alerts: firing(['critical'], ORDER, 61),
    },
    {
      name: 'an outbox event waits 59 s',
      alertname: 'OutboxEventsStale',
      series: [age(ORDER, 59)],
      alerts: [],
    },
    {
      name: 'stale outboxes in two namespaces',
      alertname: 'OutboxEventsStale',
      series: [age(ORDER, 61), age({ ...ORDER, namespace: OTHER_NS }, 120)],
      alerts: [
        ...firing(['critical'], ORDER, 61),
        ...firing(['critical'], { ...ORDER, namespace: OTHER_NS }, 120),
      ],
    },
    {
      name: 'the outbox grows past 100',
      alertname: 'OutboxBacklogGrowing',
      series: [{ series: `outbox_backlog_events${sel(ORDER)}`, values: '100+10x30' }],
      alerts: firing(['warning'], ORDER),
    },
    {
      name: 'a large but steady outbox',
      alertname: 'OutboxBacklogGrowing',
      series: [{ series: `outbox_backlog_events${sel(ORDER)}`, values: flat(500) }],
      alerts: [],
    },
  ];
}

export function serviceCases(): AlertCase[] {
  const payment = {
    namespace: NS,
    service: 'payment-service',
    instance: '10.0.0.7:8080',
    job: 'kafka-shop',
  };
  return [
    {
      name: 'a service cannot be scraped',
      alertname: 'ServiceDown',
      series: [{ series: `up${sel(payment)}`, values: flat(0) }],
      alerts: firing(['critical'], payment),
    },
    {
      name: 'a service is up',
      alertname: 'ServiceDown',
      series: [{ series: `up${sel(payment)}`, values: flat(1) }],
      alerts: [],
    },
    {
      name: 'a pod cut off from Kafka',
      alertname: 'ServiceKafkaDisconnected',
      series: [{ series: `kafka_connected${sel(payment)}`, values: flat(0) }],
      alerts: firing(['warning'], payment),
    },
    {
      name: 'a pod connected to Kafka',
      alertname: 'ServiceKafkaDisconnected',
      series: [{ series: `kafka_connected${sel(payment)}`, values: flat(1) }],
      alerts: [],
    },
    {
      name: 'a pod that lost Kafka a minute ago',
      alertname: 'ServiceKafkaDisconnected',
      series: [{ series: `kafka_connected${sel(payment)}`, values: '1x24 0x6' }],
      alerts: [],
    },
    {
      name: 'a service has no target in its namespace',
      alertname: 'ServiceTargetMissing',
      series: upOf(NS, ALL.slice(0, 3), 1),
      alerts: firing(['critical'], { namespace: NS, service: 'notification-service' }),
    },
    {
      name: 'one namespace complete, another with one service only',
      alertname: 'ServiceTargetMissing',
      series: [...upOf(NS, ALL, 1), ...upOf(OTHER_NS, ['order-service'], 1)],
      alerts: ALL.slice(1).flatMap((service) =>
        firing(['critical'], { namespace: OTHER_NS, service }),
      ),
    },
    {
      name: 'no service scraped anywhere',
      alertname: 'ServiceTargetMissing',
      series: [],
      alerts: ALL.flatMap((service) => firing(['critical'], { service })),
    },
    {
      name: 'every service has a target, one of them down',
      alertname: 'ServiceTargetMissing',
      series: [...upOf(NS, ALL.slice(0, 2), 1), ...upOf(NS, ALL.slice(2), 0)],
      alerts: [],
    },
  ];
}
