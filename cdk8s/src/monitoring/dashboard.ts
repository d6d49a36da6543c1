import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as PromQuery } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { BUSINESS_METRICS, MESSAGE_METRICS, OUTBOX_METRICS } from '@shop/observability';

const m = MESSAGE_METRICS;
const b = BUSINESS_METRICS;
const SELECT = 'service=~"$service", topic=~"$topic"';
const byST = (metric: string, window = '5m') =>
  `sum by (service, topic) (rate(${metric}{${SELECT}}[${window}]))`;

export interface PanelSpec {
  readonly title: string;
  readonly kind: 'timeseries' | 'stat';
  readonly unit: string;
  readonly queries: ReadonlyArray<{ expr: string; legend: string }>;
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/**
 * The guide's dashboard (docs/guide-mapping.md §12): real-time, business and system-health rows, plus the
 * Kafka cluster. The live monitoring test runs every query here against Prometheus.
 */
export const DASHBOARD_ROWS: readonly RowSpec[] = [
  {
    title: 'Real-time',
    panels: [
      {
        title: 'Messages processed / min',
        kind: 'timeseries',
        unit: 'short',
        queries: [{ expr: `${byST(m.processed.name)} * 60`, legend: '{{service}} {{topic}}' }],
      },
      {
        title: 'Error rate',
        kind: 'timeseries',
        unit: 'percentunit',
        queries: [
          {
            expr: `${byST(m.error.name)} / ${byST(m.processed.name)}`,
            legend: '{{service}} {{topic}}',
          },
        ],
      },
      {
        title: 'Average processing time',
        kind: 'timeseries',
        unit: 's',
        queries: [
          {
            expr: `${byST(`${m.processingTime.name}_sum`)} / ${byST(`${m.processingTime.name}_count`)}`,
            legend: '{{service}} {{topic}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Business',
    panels: [
      {
        title: 'Order success rate',
        kind: 'stat',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum(increase(${b.ordersCompleted.name}[1h])) / (sum(increase(${b.ordersCompleted.name}[1h])) + sum(increase(${b.ordersCancelled.name}[1h])))`,
            legend: 'completed / terminal',
          },
        ],
      },
      {
        title: 'Stock accuracy',
        kind: 'stat',
        unit: 'percentunit',
        queries: [{ expr: `min(${b.stockAccuracy.name})`, legend: 'products reconciling' }],
      },
      {
        title: 'Payment completion rate',
        kind: 'stat',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum(increase(${b.payments.name}{outcome="captured"}[1h])) / sum(increase(${b.payments.name}{outcome=~"captured|declined"}[1h]))`,
            legend: 'captured / attempted',
          },
        ],
      },
      {
        title: 'Orders per minute by outcome',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          { expr: `sum(rate(${b.ordersCreated.name}[5m])) * 60`, legend: 'created' },
          { expr: `sum(rate(${b.ordersCompleted.name}[5m])) * 60`, legend: 'completed' },
          {
            expr: `sum by (reason) (rate(${b.ordersCancelled.name}[5m])) * 60`,
            legend: 'cancelled: {{reason}}',
          },
        ],
      },
    ],
  },
  {
    title: 'System health',
    panels: [
      {
        title: 'Records sent to a DLQ (1h)',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          {
            expr: `sum by (service, topic) (increase(${m.dlq.name}{${SELECT}}[1h]))`,
            legend: '{{service}} {{topic}}',
          },
        ],
      },
      {
        title: 'Retries / min',
        kind: 'timeseries',
        unit: 'short',
        queries: [{ expr: `${byST(m.retry.name)} * 60`, legend: '{{service}} {{topic}}' }],
      },
      {
        title: 'Consumer lag',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (consumergroup, topic) (kafka_consumergroup_lag{topic=~"$topic"})',
            legend: '{{consumergroup}} {{topic}}',
          },
        ],
      },
      {
        title: 'Outbox backlog',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          {
            expr: `max by (service) (${OUTBOX_METRICS.backlog.name}{service=~"$service"})`,
            legend: '{{service}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Kafka cluster',
    panels: [
      {
        title: 'Brokers',
        kind: 'stat',
        unit: 'short',
        queries: [{ expr: 'max(kafka_brokers)', legend: 'brokers' }],
      },
      {
        title: 'Records in / s by topic',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (topic) (rate(kafka_topic_partition_current_offset{topic=~"$topic"}[5m]))',
            legend: '{{topic}}',
          },
        ],
      },
      {
        title: 'Under-replicated partitions',
        kind: 'stat',
        unit: 'short',
        queries: [
          { expr: 'sum(kafka_topic_partition_under_replicated_partition)', legend: 'partitions' },
        ],
      },
    ],
  },
];

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

export function buildDashboard(): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(
    'Kafka shop: messaging, business and system health',
  )
    .uid('kafka-shop-overview')
    .tags(['kafka-shop', 'kafka'])
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .withVariable(
      new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
    )
    .withVariable(
      new dashboard.QueryVariableBuilder('service')
        .label('Service')
        .datasource(DATASOURCE)
        .query(`label_values(${m.processed.name}, service)`)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    )
    .withVariable(
      new dashboard.QueryVariableBuilder('topic')
        .label('Topic')
        .datasource(DATASOURCE)
        .query(`label_values(${m.processed.name}{service=~"$service"}, topic)`)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  for (const row of DASHBOARD_ROWS) {
    builder.withRow(new dashboard.RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panelOf(panel));
  }
  return builder.build();
}

function panelOf(spec: PanelSpec) {
  const panel =
    spec.kind === 'stat'
      ? new StatPanel().height(5).span(6)
      : new TimeseriesPanel().height(8).span(8);
  panel.title(spec.title).unit(spec.unit).datasource(DATASOURCE);
  spec.queries.forEach((q, i) =>
    panel.withTarget(
      new PromQuery()
        .expr(q.expr)
        .legendFormat(q.legend)
        .refId(String.fromCharCode(65 + i)),
    ),
  );
  return panel;
}
