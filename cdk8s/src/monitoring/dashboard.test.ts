import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { SERVICE_NAMES, consumerGroupOf } from '@shop/contracts';
import { ALERT_THRESHOLDS, MESSAGE_METRICS } from '@shop/observability';
import { DASHBOARD_ROWS, buildDashboard } from './dashboard';
import { interpolate } from './grafana-variables';

const panels = (buildDashboard() as Dashboard).panels as Array<Panel | RowPanel>;
const panel = (title: string) => {
  const found = panels.find((p): p is Panel => p.type !== 'row' && p.title === title);
  if (!found) throw new Error(`no panel "${title}"`);
  return found;
};
const exprs = (p: Panel) => (p.targets ?? []).map((t) => ('expr' in t ? String(t.expr) : ''));
const specQueries = DASHBOARD_ROWS.flatMap((r) => r.panels.flatMap((p) => p.queries));

describe('the Grafana dashboard', () => {
  it('keeps every panel inside the 24-column grid, none overlapping another', () => {
    const boxes = panels.map((p) => ({ title: p.title, ...p.gridPos! }));
    for (const box of boxes) {
      expect([box.title, box.x >= 0 && box.x + box.w <= 24]).toEqual([box.title, true]);
    }
    const overlapping = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
        .map((b) => `${a.title} / ${b.title}`),
    );
    expect(overlapping).toEqual([]);
  });

  it.each([
    ['Error rate', ALERT_THRESHOLDS.errorRate],
    ['Average processing time', ALERT_THRESHOLDS.processingTimeSeconds],
    ['Processing time p95 / p99', ALERT_THRESHOLDS.processingTimeSeconds],
    ['Consumer lag', ALERT_THRESHOLDS.consumerLag],
  ])('draws the alert thresholds of "%s" as lines', (title, { warning, critical }) => {
    const { fieldConfig } = panel(title);
    expect(fieldConfig?.defaults.thresholds?.steps.map((s) => s.value)).toEqual([
      null,
      warning,
      critical,
    ]);
    expect(fieldConfig?.defaults.custom).toMatchObject({ thresholdsStyle: { mode: 'line' } });
  });

  it('shows p95 and p99 processing time from the histogram', () => {
    const bucket = `${MESSAGE_METRICS.processingTime.name}_bucket`;
    expect(exprs(panel('Processing time p95 / p99'))).toEqual([
      expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.95, .*\\(le,.*${bucket}`)),
      expect.stringMatching(new RegExp(`^histogram_quantile\\(0\\.99, .*\\(le,.*${bucket}`)),
    ]);
  });

  it('splits processed records by status', () => {
    expect(exprs(panel('Records / min by status'))).toEqual([
      expect.stringMatching(
        new RegExp(`^sum by \\(status\\) \\(rate\\(${MESSAGE_METRICS.processed.name}\\{`),
      ),
    ]);
  });

  it('shows the lag of the consumer groups of the services picked, and no other', () => {
    const [lag] = exprs(panel('Consumer lag'));
    for (const service of SERVICE_NAMES) {
      const expr = interpolate(lag!, { service: [service], topic: 'All' });
      const group = new RegExp(`^${/consumergroup=~"([^"]+)"/.exec(expr)![1]!}$`);
      expect(SERVICE_NAMES.filter((s) => group.test(consumerGroupOf(s)))).toEqual([service]);
    }
  });

  it('asks only for variables the dashboard defines', () => {
    const names = new Set(['service', 'topic']);
    const used = specQueries.flatMap((q) => [...q.expr.matchAll(/\$(\w+)/g)].map((x) => x[1]));
    expect(used.filter((n) => !names.has(n!))).toEqual([]);
  });
});
