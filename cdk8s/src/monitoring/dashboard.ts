import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as PromQuery } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  ALERT_THRESHOLDS,
  BUSINESS_METRICS,
  MESSAGE_METRICS,
  NOTIFICATION_METRICS,
  OUTBOX_METRICS,
  SAGA_DEADLINE_METRICS,
} from '@shop/observability';

const m = MESSAGE_METRICS;
const b = BUSINESS_METRICS;
const SELECT = 'service=~"$service", topic=~"$topic"';
const byST = (metric: string, window = '5m') =>
  `sum by (service, topic) (rate(${metric}{${SELECT}}[${window}]))`;
const quantile = (q: number) =>
  `histogram_quantile(${q}, sum by (le, service) (rate(${m.processingTime.name}_bucket{${SELECT}}[5m])))`;
/** kafka-exporter labels lag by consumer group, not service: consumerGroupOf's naming, as a regex. */
const SERVICE_GROUP = '($service)-group';

export interface PanelSpec {
  readonly title: string;
  readonly kind: 'timeseries' | 'stat';
  readonly unit: string;
  readonly queries: ReadonlyArray<{ expr: string; legend: string }>;
  /** The guide's alert thresholds, drawn as lines where the alerts start. */
  readonly thresholds?: { readonly warning: number; readonly critical: number };
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
        title: 'Records / min by status',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          {
            expr: `sum by (status) (rate(${m.processed.name}{${SELECT}}[5m])) * 60`,
            legend: '{{status}}',
          },
        ],
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
        thresholds: ALERT_THRESHOLDS.errorRate,
      },
      {
        title: 'Processing time p95 / p99',
        kind: 'timeseries',
        unit: 's',
        queries: [
          { expr: quantile(0.95), legend: 'p95 {{service}}' },
          { expr: quantile(0.99), legend: 'p99 {{service}}' },
        ],
        thresholds: ALERT_THRESHOLDS.processingTimeSeconds,
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
        thresholds: ALERT_THRESHOLDS.processingTimeSeconds,
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
        title: 'Last stock reconciliation',
        kind: 'stat',
        unit: 's',
        queries: [
          {
            expr: `time() - max(${b.stockReconciliationLastSuccess.name})`,
            legend: 'seconds since the last success',
          },
        ],
      },
      {
        title: 'Stock reconciliation failures (1h)',
        kind: 'stat',
        unit: 'short',
        queries: [
          {
            expr: `sum(increase(${b.stockReconciliationFailures.name}[1h]))`,
            legend: 'failed rounds',
          },
        ],
      },
      {
        // What SagaStuck watches: orders the deadline sweep could not mend.
        title: 'Stuck sagas by status',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          {
            expr: `max by (status) (${SAGA_DEADLINE_METRICS.stuck.name})`,
            legend: '{{status}}',
          },
        ],
      },
      {
        // What NotificationsBacklogged and NotificationsFailing watch. Without a service label,
        // like the notifications themselves: every replica counts the one table.
        title: 'Customer notifications',
        kind: 'timeseries',
        unit: 'short',
        queries: [
          { expr: `max(${NOTIFICATION_METRICS.pending.name})`, legend: 'PENDING' },
          {
            expr: `sum(increase(${NOTIFICATION_METRICS.failed.name}[1h]))`,
            legend: 'given up (1h)',
          },
        ],
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
            expr: `sum by (consumergroup, topic) (kafka_consumergroup_lag{consumergroup=~"${SERVICE_GROUP}", topic=~"$topic"})`,
            legend: '{{consumergroup}} {{topic}}',
          },
        ],
        thresholds: ALERT_THRESHOLDS.consumerLag,
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
  for (const { row, panels } of layout(DASHBOARD_ROWS)) {
    builder.withRow(new dashboard.RowBuilder(row.title).gridPos(panels.header));
    for (const { spec, gridPos } of panels.items) builder.withPanel(panelOf(spec, gridPos));
  }
  return builder.build();
}

const GRID_COLUMNS = 24;
const SIZE = { stat: { w: 6, h: 5 }, timeseries: { w: 8, h: 8 } } as const;

/**
 * Every position written out: the SDK's own placement lets a panel run past the 24th column
 * (a stat at x 18 with width 8 was seen) instead of starting a new line.
 */
function layout(rows: readonly RowSpec[]) {
  let y = 0;
  return rows.map((row) => {
    const header: dashboard.GridPos = { x: 0, y: y++, w: GRID_COLUMNS, h: 1 };
    let x = 0;
    let lineHeight = 0;
    const items = row.panels.map((spec) => {
      const { w, h } = SIZE[spec.kind];
      if (x + w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      const gridPos = { x, y, w, h };
      x += w;
      lineHeight = Math.max(lineHeight, h);
      return { spec, gridPos };
    });
    y += lineHeight;
    return { row, panels: { header, items } };
  });
}

function panelOf(spec: PanelSpec, gridPos: dashboard.GridPos) {
  const panel = spec.kind === 'stat' ? new StatPanel() : new TimeseriesPanel();
  panel.gridPos(gridPos).title(spec.title).unit(spec.unit).datasource(DATASOURCE);
  if (spec.thresholds) {
    panel.thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'green' },
        { value: spec.thresholds.warning, color: 'orange' },
        { value: spec.thresholds.critical, color: 'red' },
      ]),
    );
    if (panel instanceof TimeseriesPanel)
      panel.thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line),
      );
  }
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
