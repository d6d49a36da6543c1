import {
  ALERT_THRESHOLDS,
  BUSINESS_METRICS,
  MESSAGE_METRICS,
  OUTBOX_METRICS,
} from '@shop/observability';
import { SERVICE_NAMES } from '@shop/contracts';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { severity: 'warning' | 'critical' };
  readonly annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: AlertRule[];
}

/** An alert as written below; its runbook link is derived from its name. */
type AlertSpec = Omit<AlertRule, 'annotations'> & {
  readonly annotations: Omit<AlertRule['annotations'], 'runbook_url'>;
};

const m = MESSAGE_METRICS;

/** `sum by (service, topic) (rate(<metric>[5m]))` */
const rate = (metric: string) => `sum by (service, topic) (rate(${metric}[5m]))`;

const ERROR_RATE = `${rate(m.error.name)} / ${rate(m.processed.name)}`;
const AVG_PROCESSING_TIME = `${rate(`${m.processingTime.name}_sum`)} / ${rate(`${m.processingTime.name}_count`)}`;
const CONSUMER_LAG = 'sum by (consumergroup, topic) (kafka_consumergroup_lag)';

/**
 * An alert's runbook: the README's Runbook section has a `### <Alert>` heading per alert, and
 * GitHub anchors a heading by its lowercased text.
 */
export const runbookUrl = (runbookBase: string, alert: string) =>
  `${runbookBase}#${alert.toLowerCase()}`;

/** The same alert at the guide's warning and critical thresholds. */
function tiered(
  alert: string,
  expr: string,
  thresholds: { warning: number; critical: number },
  forDuration: string,
  text: (severity: string, threshold: number) => AlertSpec['annotations'],
): AlertSpec[] {
  return (['warning', 'critical'] as const).map((severity) => ({
    alert,
    expr: `(${expr}) > ${thresholds[severity]}`,
    for: forDuration,
    labels: { severity },
    annotations: text(severity, thresholds[severity]),
  }));
}

/** Every alert, from the guide's thresholds (docs/guide-mapping.md §11) and the metrics catalog. */
export function alertRuleGroups(runbookBase: string): RuleGroup[] {
  return alertSpecs().map((group) => ({
    name: group.name,
    rules: group.rules.map((rule) => ({
      ...rule,
      annotations: { ...rule.annotations, runbook_url: runbookUrl(runbookBase, rule.alert) },
    })),
  }));
}

function alertSpecs(): Array<{ name: string; rules: AlertSpec[] }> {
  const { errorRate, processingTimeSeconds, consumerLag } = ALERT_THRESHOLDS;
  return [
    {
      name: 'kafka-shop.messaging',
      rules: [
        ...tiered('KafkaMessageErrorRate', ERROR_RATE, errorRate, '5m', (_, t) => ({
          summary: `{{ $labels.service }} fails over ${t * 100}% of records on {{ $labels.topic }}`,
          description:
            '{{ $labels.service }} failed {{ $value | humanizePercentage }} of the records it took from {{ $labels.topic }} over 5 minutes (retried, dead-lettered or not recorded).',
        })),
        ...tiered(
          'KafkaMessageProcessingTime',
          AVG_PROCESSING_TIME,
          processingTimeSeconds,
          '5m',
          (_, t) => ({
            summary: `{{ $labels.service }} takes over ${t}s per record on {{ $labels.topic }}`,
            description:
              'Average processing time of {{ $labels.service }} on {{ $labels.topic }} is {{ $value | humanizeDuration }} over 5 minutes.',
          }),
        ),
        ...tiered('KafkaConsumerLag', CONSUMER_LAG, consumerLag, '5m', (_, t) => ({
          summary: `{{ $labels.consumergroup }} is over ${t} records behind on {{ $labels.topic }}`,
          description:
            'Consumer group {{ $labels.consumergroup }} lags {{ $value }} records on {{ $labels.topic }}.',
        })),
        {
          alert: 'KafkaMessagesDeadLettered',
          expr: `sum by (service, topic) (increase(${m.dlq.name}[5m])) > 0`,
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
          expr: `max by (service) (deriv(${OUTBOX_METRICS.backlog.name}[10m])) > 0 and max by (service) (${OUTBOX_METRICS.backlog.name}) > 100`,
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
          expr: `max by (service) (${OUTBOX_METRICS.oldestAge.name}) > 60`,
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
          expr: `up{service=~"${SERVICE_NAMES.join('|')}"} == 0`,
          for: '1m',
          labels: { severity: 'critical' },
          annotations: {
            summary: '{{ $labels.service }} is down',
            description: 'Prometheus cannot scrape {{ $labels.service }} ({{ $labels.instance }}).',
          },
        },
        {
          // up == 0 needs a target; with no pod (scaled to zero, never deployed) or no monitor
          // selecting the pods there is none, and ServiceDown stays silent. One absent() per
          // service, because only its equality matcher becomes the alert's `service` label.
          alert: 'ServiceTargetMissing',
          expr: SERVICE_NAMES.map((s) => `absent(up{service="${s}"})`).join(' or '),
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Prometheus scrapes no {{ $labels.service }}',
            description:
              'No {{ $labels.service }} target for 5 minutes: no pod runs, or no PodMonitor selects its pods.',
          },
        },
        {
          alert: 'StockInaccurate',
          expr: `min(${BUSINESS_METRICS.stockAccuracy.name}) < 1`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'Stock no longer reconciles',
            description:
              'Only {{ $value | humanizePercentage }} of products reconcile; GET /reconciliation on inventory-service names them.',
          },
        },
      ],
    },
  ];
}
