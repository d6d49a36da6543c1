import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ALERT_THRESHOLDS } from '@shop/observability';
import { K8S_DIR } from '../src/main';

/**
 * promtool unit tests for every alert, at both sides of each threshold, against the rule groups
 * taken out of the generated PrometheusRule (promtool cannot read the resource itself).
 */

interface Series {
  series: string;
  values: string;
}
interface Rule {
  alert: string;
  labels: { severity: string };
  annotations: Record<string, string>;
}
interface AlertCase {
  name: string;
  alertname: string;
  series: Series[];
  /** The severities expected to fire, with the labels every firing alert must carry. */
  fires: Array<'warning' | 'critical'>;
  labels: Record<string, string>;
  /** The alert expression's value when it fires, for rendering the expected annotations. */
  value?: number;
}

const ST = { service: 'inventory-service', topic: 'order-created' };
const sel = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
const rising = (perMinute: number) => `0+${perMinute}x30`;
const flat = (value: number) => `${value}x30`;

/** One scrape target per service, each answering (1) or not (0) all along. */
const upOf = (services: string[], up: 0 | 1): Series[] =>
  services.map((service, i) => ({
    series: `up${sel({ service, instance: `10.0.0.${i + 10}:8080`, job: 'shop/kafka-shop-services' })}`,
    values: flat(up),
  }));

/** Which severities a value fires given warning and critical thresholds. */
const expected = (
  value: number,
  t: { warning: number; critical: number },
): Array<'warning' | 'critical'> =>
  [
    value > t.warning ? ('warning' as const) : undefined,
    value > t.critical ? ('critical' as const) : undefined,
  ].filter((s): s is 'warning' | 'critical' => s !== undefined);

/** Just below and just above each threshold. */
const around = (t: { warning: number; critical: number }, step: number) => [
  t.warning - step,
  t.warning + step,
  t.critical - step,
  t.critical + step,
];

function cases(): AlertCase[] {
  const out: AlertCase[] = [];
  for (const ratio of around(ALERT_THRESHOLDS.errorRate, 0.001)) {
    out.push({
      name: `error rate ${ratio}`,
      alertname: 'KafkaMessageErrorRate',
      series: [
        {
          series: `kafka_messages_processed_total${sel({ ...ST, status: 'success' })}`,
          values: rising(1000),
        },
        {
          series: `kafka_messages_error_total${sel({ ...ST, status: 'retry' })}`,
          values: rising(1000 * ratio),
        },
      ],
      fires: expected(ratio, ALERT_THRESHOLDS.errorRate),
      labels: ST,
      value: ratio,
    });
  }
  for (const seconds of around(ALERT_THRESHOLDS.processingTimeSeconds, 0.1)) {
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
      fires: expected(seconds, ALERT_THRESHOLDS.processingTimeSeconds),
      labels: ST,
      value: seconds,
    });
  }
  const group = { consumergroup: 'inventory-service-group', topic: 'order-created' };
  for (const lag of around(ALERT_THRESHOLDS.consumerLag, 1)) {
    out.push({
      name: `consumer lag ${lag}`,
      alertname: 'KafkaConsumerLag',
      series: [
        {
          series: `kafka_consumergroup_lag${sel({ ...group, partition: '0' })}`,
          values: flat(lag - 100),
        },
        {
          series: `kafka_consumergroup_lag${sel({ ...group, partition: '1' })}`,
          values: flat(100),
        },
      ],
      fires: expected(lag, ALERT_THRESHOLDS.consumerLag),
      labels: group,
      value: lag,
    });
  }
  out.push(
    {
      name: 'a record reaches a DLQ',
      alertname: 'KafkaMessagesDeadLettered',
      series: [
        { series: `kafka_messages_dlq_total${sel({ ...ST, status: 'dlq' })}`, values: '0x21 1x9' },
      ],
      fires: ['warning'],
      labels: ST,
    },
    {
      name: 'no record reaches a DLQ',
      alertname: 'KafkaMessagesDeadLettered',
      series: [
        { series: `kafka_messages_dlq_total${sel({ ...ST, status: 'dlq' })}`, values: flat(3) },
      ],
      fires: [],
      labels: ST,
    },
    {
      name: 'an outbox event waits 61 s',
      alertname: 'OutboxEventsStale',
      series: [
        {
          series: 'outbox_oldest_unpublished_age_seconds{service="order-service"}',
          values: flat(61),
        },
      ],
      fires: ['critical'],
      labels: { service: 'order-service' },
      value: 61,
    },
    {
      name: 'an outbox event waits 59 s',
      alertname: 'OutboxEventsStale',
      series: [
        {
          series: 'outbox_oldest_unpublished_age_seconds{service="order-service"}',
          values: flat(59),
        },
      ],
      fires: [],
      labels: { service: 'order-service' },
    },
    {
      name: 'the outbox grows past 100',
      alertname: 'OutboxBacklogGrowing',
      series: [{ series: 'outbox_backlog_events{service="order-service"}', values: '100+10x30' }],
      fires: ['warning'],
      labels: { service: 'order-service' },
    },
    {
      name: 'a large but steady outbox',
      alertname: 'OutboxBacklogGrowing',
      series: [{ series: 'outbox_backlog_events{service="order-service"}', values: flat(500) }],
      fires: [],
      labels: { service: 'order-service' },
    },
    {
      name: 'a service cannot be scraped',
      alertname: 'ServiceDown',
      series: [
        {
          series: 'up{service="payment-service",instance="10.0.0.7:8080",job="kafka-shop"}',
          values: flat(0),
        },
      ],
      fires: ['critical'],
      labels: { service: 'payment-service', instance: '10.0.0.7:8080', job: 'kafka-shop' },
    },
    {
      name: 'a service is up',
      alertname: 'ServiceDown',
      series: [
        {
          series: 'up{service="payment-service",instance="10.0.0.7:8080",job="kafka-shop"}',
          values: flat(1),
        },
      ],
      fires: [],
      labels: { service: 'payment-service', instance: '10.0.0.7:8080', job: 'kafka-shop' },
    },
    {
      name: 'a service has no target at all',
      alertname: 'ServiceTargetMissing',
      series: upOf(['order-service', 'inventory-service', 'payment-service'], 1),
      fires: ['critical'],
      labels: { service: 'notification-service' },
    },
    {
      name: 'every service has a target, one of them down',
      alertname: 'ServiceTargetMissing',
      series: [
        ...upOf(['order-service', 'inventory-service', 'notification-service'], 1),
        ...upOf(['payment-service'], 0),
      ],
      fires: [],
      labels: {},
    },
    {
      name: 'a product stops reconciling',
      alertname: 'StockInaccurate',
      series: [
        { series: 'stock_accuracy_ratio{service="inventory-service"}', values: flat(0.875) },
      ],
      fires: ['critical'],
      labels: {},
      value: 0.875,
    },
    {
      name: 'every product reconciles',
      alertname: 'StockInaccurate',
      series: [{ series: 'stock_accuracy_ratio{service="inventory-service"}', values: flat(1) }],
      fires: [],
      labels: {},
    },
  );
  return out;
}

describe('alert rules under promtool', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const resource = YAML.parse(
    fs.readFileSync(path.join(K8S_DIR, 'monitoring/prometheus-rules.yaml'), 'utf8'),
  ) as {
    kind: string;
    spec: { groups: Array<{ rules: Rule[] }> };
  };
  const rules = resource.spec.groups.flatMap((g) => g.rules);
  const annotationsOf = (c: AlertCase, severity: string) => {
    const rule = rules.find((r) => r.alert === c.alertname && r.labels.severity === severity)!;
    return Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, render(v, c)]));
  };
  const rulesFile = path.join(dir, 'rules.yaml');
  fs.writeFileSync(rulesFile, YAML.stringify(resource.spec));

  it('reads the PrometheusRule and passes promtool check rules', () => {
    expect(resource.kind).toBe('PrometheusRule');
    const check = spawnSync('promtool', ['check', 'rules', rulesFile], { encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`).toContain('SUCCESS');
    expect(check.status).toBe(0);
  });

  it('tests every alert at both sides of its thresholds', () => {
    const all = cases();
    const alertNames = new Set(resource.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)));
    expect(new Set(all.map((c) => c.alertname))).toEqual(alertNames);

    const testFile = {
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: all.map((c) => ({
        name: c.name,
        interval: '1m',
        input_series: c.series,
        alert_rule_test: [
          {
            eval_time: '25m',
            alertname: c.alertname,
            exp_alerts: c.fires.map((severity) => ({
              exp_labels: { severity, ...c.labels },
              exp_annotations: annotationsOf(c, severity),
            })),
          },
        ],
      })),
    };
    const testsPath = path.join(dir, 'tests.yaml');
    fs.writeFileSync(testsPath, YAML.stringify(testFile));
    const run = spawnSync('promtool', ['test', 'rules', testsPath], { encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    if (run.status !== 0)
      throw new Error(`promtool test rules failed:\n${run.stdout}\n${run.stderr}`);
    expect(run.stdout).toContain('SUCCESS');
  });
});

/** Renders the annotation templates the way Prometheus does, for the functions the rules use. */
function render(template: string, c: AlertCase): string {
  return template.replace(
    /\{\{\s*(\$labels\.(\w+)|\$value(?:\s*\|\s*(\w+))?)\s*\}\}/g,
    (_, __, label, fn) => {
      if (label) return c.labels[label] ?? '';
      const v = c.value!;
      if (fn === 'humanizePercentage') return `${formatG(v * 100)}%`;
      if (fn === 'humanizeDuration') return humanizeDuration(v);
      return String(v);
    },
  );
}

/** Go's %.4g. */
function formatG(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function humanizeDuration(v: number): string {
  if (Math.abs(v) < 1) throw new Error('sub-second durations are not used by these rules');
  const total = Math.trunc(v);
  const [d, h, m, s] = [
    Math.trunc(total / 86400),
    Math.trunc(total / 3600) % 24,
    Math.trunc(total / 60) % 60,
    total % 60,
  ];
  if (d !== 0) return `${d}d ${h}h ${m}m ${s}s`;
  if (h !== 0) return `${h}h ${m}m ${s}s`;
  if (m !== 0) return `${m}m ${s}s`;
  return `${formatG(v)}s`;
}
