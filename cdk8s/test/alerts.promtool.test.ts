import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { K8S_DIR } from '../src/main';
import { EVAL_SECONDS, type AlertCase, type ExpectedAlert } from './alert-cases';
import { brokerCases } from './broker-alert-cases';
import { messagingCases, outboxCases, serviceCases } from './guide-alert-cases';
import { notificationCases } from './notification-alert-cases';
import { sagaCases } from './saga-alert-cases';
import { stockCases } from './stock-alert-cases';

/**
 * promtool unit tests for every alert, just below and exactly at each threshold (the guide's are
 * "at or above"), with series in two namespaces where one alert could hide another's, against
 * the rule groups taken out of the generated PrometheusRule (promtool cannot read the resource).
 */

interface Rule {
  alert: string;
  labels: { severity: string };
  annotations: Record<string, string>;
}

function cases(): AlertCase[] {
  return [
    ...messagingCases(),
    ...outboxCases(),
    ...serviceCases(),
    ...stockCases(),
    ...sagaCases(),
    ...notificationCases(),
    ...brokerCases(),
  ];
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
  const annotationsOf = (alertname: string, expected: ExpectedAlert) => {
    const rule = rules.find(
      (r) => r.alert === alertname && r.labels.severity === expected.severity,
    )!;
    return Object.fromEntries(
      Object.entries(rule.annotations).map(([k, v]) => [k, render(v, expected)]),
    );
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
            eval_time: c.evalMinutes === undefined ? `${EVAL_SECONDS}s` : `${c.evalMinutes}m`,
            alertname: c.alertname,
            exp_alerts: c.alerts.map((expected) => ({
              exp_labels: { severity: expected.severity, ...expected.labels },
              exp_annotations: annotationsOf(c.alertname, expected),
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
function render(template: string, c: ExpectedAlert): string {
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
