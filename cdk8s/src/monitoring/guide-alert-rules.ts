import {
  ALERT_THRESHOLDS,
  BUSINESS_METRICS,
  KAFKA_CONNECTION_METRICS,
  MESSAGE_METRICS,
  NOTIFICATION_METRICS,
  OUTBOX_METRICS,
  SAGA_DEADLINE_METRICS,
} from '@shop/observability';
import { SERVICE_NAMES } from '@shop/contracts';
import { tiered, type AlertSpecGroup } from './alert-spec';

const m = MESSAGE_METRICS;

/** `sum by (namespace, service, topic) (rate(<metric>[5m]))` */
const rate = (metric: string) => `sum by (namespace, service, topic) (rate(${metric}[5m]))`;

const ERROR_RATE = `${rate(m.error.name)} / ${rate(m.processed.name)}`;
const AVG_PROCESSING_TIME = `${rate(`${m.processingTime.name}_sum`)} / ${rate(`${m.processingTime.name}_count`)}`;
const CONSUMER_LAG = 'sum by (namespace, consumergroup, topic) (kafka_consumergroup_lag)';

const ANY_SERVICE = `up{service=~"${SERVICE_NAMES.join('|')}"}`;
const INVENTORY = 'inventory-service';

const RECONCILIATION = {
  lastSuccess: BUSINESS_METRICS.stockReconciliationLastSuccess.name,
  failures: BUSINESS_METRICS.stockReconciliationFailures.name,
} as const;

/** How long reconciliation may go without a success before it is a signal of its own. */
export const RECONCILIATION_STALE_SECONDS = 15 * 60;

/**
 * PENDING notifications that stay above this for 10 minutes are not draining. A working delivery
 * loop takes 20 a round (NOTIFICATION_DELIVERY_BATCH_SIZE) and starts the next round at once
 * while rounds come back full, so a backlog it can send never lasts 10 minutes at five rounds'
 * worth; one held back by a failing provider is given up within about 8.5 minutes
 * (NotificationsFailing speaks then). What stays is a loop that does not run, or a provider slower
 * than the orders coming in: nobody is told, and nothing is counted as failed.
 */
export const NOTIFICATION_BACKLOG = 100;

/**
 * A service without a scrape target, per namespace: missing where its siblings are scraped, or
 * (without a namespace to name) missing while no service is scraped anywhere. `up == 0` needs a
 * target, so ServiceDown stays silent with no pod or no monitor selecting the pods.
 */
const targetMissing = (service: string) =>
  `label_replace(group by (namespace) (${ANY_SERVICE}) unless on (namespace) group by (namespace) (up{service="${service}"}), "service", "${service}", "", "")` +
  ` or (absent(up{service="${service}"}) unless on () group by (namespace) (${ANY_SERVICE}))`;

/** The guide's alerts (docs/guide-mapping.md §11) and the system's own, from the metrics catalog. */
export function guideAlerts(): AlertSpecGroup[] {
  const { errorRate, processingTimeSeconds, consumerLag } = ALERT_THRESHOLDS;
  const lastSuccess = `max by (namespace) (${RECONCILIATION.lastSuccess})`;
  return [
    {
      name: 'kafka-shop.messaging',
      rules: [
        ...tiered('KafkaMessageErrorRate', ERROR_RATE, '>=', errorRate, '5m', (t) => ({
          summary: `{{ $labels.service }} fails ${t * 100}% or more of records on {{ $labels.topic }}`,
          description:
            '{{ $labels.service }} failed {{ $value | humanizePercentage }} of the records it took from {{ $labels.topic }} over 5 minutes (retried, dead-lettered or not recorded).',
        })),
        ...tiered(
          'KafkaMessageProcessingTime',
          AVG_PROCESSING_TIME,
          '>=',
          processingTimeSeconds,
          '5m',
          (t) => ({
            summary: `{{ $labels.service }} takes ${t}s or more per record on {{ $labels.topic }}`,
            description:
              'Average processing time of {{ $labels.service }} on {{ $labels.topic }} is {{ $value | humanizeDuration }} over 5 minutes.',
          }),
        ),
        ...tiered('KafkaConsumerLag', CONSUMER_LAG, '>=', consumerLag, '5m', (t) => ({
          summary: `{{ $labels.consumergroup }} is ${t} or more records behind on {{ $labels.topic }}`,
          description:
            'Consumer group {{ $labels.consumergroup }} lags {{ $value }} records on {{ $labels.topic }}.',
        })),
        {
          alert: 'KafkaMessagesDeadLettered',
          expr: `sum by (namespace, service, topic) (increase(${m.dlq.name}[5m])) > 0`,
          labels: { severity: 'warning' },
          annotations: {
            summary:
              '{{ $labels.service }} sent records from {{ $labels.topic }} to {{ $labels.topic }}-dlq',
            description:
              'Records from {{ $labels.topic }} reached {{ $labels.topic }}-dlq in the last 5 minutes; inspect them with `npm run dlq -- list --topic {{ $labels.topic }}-dlq` and replay after a fix.',
          },
        },
      ],
    },
    {
      name: 'kafka-shop.outbox',
      rules: [
        {
          alert: 'OutboxBacklogGrowing',
          expr: `max by (namespace, service) (deriv(${OUTBOX_METRICS.backlog.name}[10m])) > 0 and max by (namespace, service) (${OUTBOX_METRICS.backlog.name}) > 100`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: "{{ $labels.service }}'s outbox keeps growing",
            description:
              '{{ $labels.service }} writes events faster than its relay publishes them; Kafka may be unreachable.',
          },
        },
        {
          alert: 'OutboxEventsStale',
          expr: `max by (namespace, service) (${OUTBOX_METRICS.oldestAge.name}) > 60`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: '{{ $labels.service }} has not published an event for over a minute',
            description:
              'The oldest unpublished outbox row of {{ $labels.service }} is {{ $value | humanizeDuration }} old.',
          },
        },
      ],
    },
    {
      name: 'kafka-shop.services',
      rules: [
        {
          alert: 'ServiceDown',
          expr: `${ANY_SERVICE} == 0`,
          for: '1m',
          labels: { severity: 'critical' },
          annotations: {
            summary: '{{ $labels.service }} is down',
            description: 'Prometheus cannot scrape {{ $labels.service }} ({{ $labels.instance }}).',
          },
        },
        {
          alert: 'ServiceTargetMissing',
          expr: SERVICE_NAMES.map(targetMissing).join(' or '),
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Prometheus scrapes no {{ $labels.service }}',
            description:
              'No {{ $labels.service }} target for 5 minutes: no pod runs, or no PodMonitor selects its pods.',
          },
        },
        {
          // Readiness follows the database only (the outbox keeps orders while Kafka is away),
          // so a pod cut off from Kafka stays in its Service: this is where that shows.
          alert: 'ServiceKafkaDisconnected',
          expr: `${KAFKA_CONNECTION_METRICS.connected.name}{service=~"${SERVICE_NAMES.join('|')}"} == 0`,
          for: '2m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $labels.service }} has lost Kafka',
            description:
              '{{ $labels.service }} ({{ $labels.instance }}) has not been connected to Kafka (or, consuming, in its group) for 2 minutes: its events wait in the outbox and its records are not consumed.',
          },
        },
        {
          // Absent until the first successful reconciliation, and never lowered by a failed one:
          // a failure is StockReconciliationFailing's business, not a stock error.
          alert: 'StockInaccurate',
          expr: `min by (namespace) (${BUSINESS_METRICS.stockAccuracy.name}) < 1`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Stock no longer reconciles',
            description:
              'Only {{ $value | humanizePercentage }} of products reconcile; GET /reconciliation on inventory-service names them.',
          },
        },
        {
          // Failed runs, a last success too old, or none at all while an inventory-service
          // process has run long enough for one: StockInaccurate cannot speak in any of these.
          alert: 'StockReconciliationFailing',
          expr: [
            `sum by (namespace) (increase(${RECONCILIATION.failures}[15m])) > 0`,
            `time() - ${lastSuccess} >= ${RECONCILIATION_STALE_SECONDS}`,
            `(max by (namespace) (time() - process_start_time_seconds{service="${INVENTORY}"}) >= ${RECONCILIATION_STALE_SECONDS} unless on (namespace) ${lastSuccess})`,
          ].join(' or '),
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Stock reconciliation is failing or has not succeeded for 15 minutes',
            description:
              'inventory-service has failed to reconcile stock, or its last success is 15 minutes old or missing; StockInaccurate cannot fire meanwhile.',
          },
        },
      ],
    },
    {
      name: 'kafka-shop.notifications',
      rules: [
        {
          // No `for`: each one given up is a customer who will not be told unless someone acts.
          alert: 'NotificationsFailing',
          expr: `sum by (namespace) (increase(${NOTIFICATION_METRICS.failed.name}[15m])) > 0`,
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Notifications were given up in the last 15 minutes',
            description:
              "notification-service marked notifications FAILED after their last attempt; their customers were not told. The order's timeline on the console shows each with its last error.",
          },
        },
        {
          // Every replica counts the one shared table: the largest count, not their sum.
          alert: 'NotificationsBacklogged',
          expr: `max by (namespace) (${NOTIFICATION_METRICS.pending.name}) > ${NOTIFICATION_BACKLOG}`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $value }} notifications PENDING for 10 minutes',
            description: `More than ${NOTIFICATION_BACKLOG} notifications have waited to be sent for 10 minutes: the delivery loop is not running, its sends keep failing (NotificationsFailing follows), or the provider is slower than the orders coming in.`,
          },
        },
      ],
    },
    {
      name: 'kafka-shop.saga',
      rules: [
        {
          // The sweep mends PENDING and CONFIRMED orders itself within one interval; what stays
          // counted for 10 minutes is what it cannot mend, such as a cancel inventory never restores.
          alert: 'SagaStuck',
          expr: `max by (namespace, status) (${SAGA_DEADLINE_METRICS.stuck.name}) > 0`,
          for: '10m',
          labels: { severity: 'warning' },
          annotations: {
            summary: '{{ $value }} orders stuck in {{ $labels.status }} past their deadline',
            description:
              "{{ $value }} orders have been {{ $labels.status }} for longer than the saga allows, even after the deadline sweep acted on them; the console's Stuck sagas page lists them.",
          },
        },
      ],
    },
  ];
}
