import { clusterSettings } from '../settings';
import { alertRuleGroups } from './alert-rules';

const AGGREGATION =
  /\b(sum|min|max|avg|group|count|count_values|stddev|stdvar|topk|bottomk|quantile|limitk|limit_ratio)\s*(?=\(|by\b|without\b)/g;

/**
 * What in a PromQL expression drops `namespace`: an aggregation not grouped `by` it (grouping
 * after the operand, `without`, or no grouping at all), and a vector match `on` labels without
 * it. `absent()` has no namespace to keep; the one place it may stand is guarded by `on ()`.
 */
function dropsNamespace(expr: string): string[] {
  const problems: string[] = [];
  for (const match of expr.matchAll(AGGREGATION)) {
    const grouping = /^\s*by\s*\(([^)]*)\)/.exec(expr.slice(match.index + match[0].length));
    const labels = grouping?.[1]?.split(',').map((l) => l.trim()) ?? [];
    if (!labels.includes('namespace')) problems.push(`${match[1]} at ${match.index}`);
  }
  for (const match of expr.matchAll(/\b(on|ignoring)\s*\(([^)]*)\)/g)) {
    const labels = match[2]!.split(',').map((l) => l.trim());
    const keeps = match[1] === 'on' ? labels.includes('namespace') : !labels.includes('namespace');
    const guardsAbsent = match[1] === 'on' && match[2]!.trim() === '';
    if (!keeps && !guardsAbsent) problems.push(`${match[0]} at ${match.index}`);
  }
  return problems;
}

describe('alert expressions keep namespace', () => {
  const rules = alertRuleGroups(clusterSettings({})).flatMap((g) => g.rules);

  it('finds what would drop it', () => {
    expect(dropsNamespace('sum by (namespace, topic) (x) > 0')).toEqual([]);
    expect(dropsNamespace('sum by (service, topic) (x) > 0')).toEqual(['sum at 0']);
    expect(dropsNamespace('min(x) < 1')).toEqual(['min at 0']);
    expect(dropsNamespace('sum(x) by (namespace)')).toEqual(['sum at 0']);
    expect(dropsNamespace('max without (pod) (x)')).toEqual(['max at 0']);
    expect(dropsNamespace('a and on (service) b')).toEqual(['on (service) at 6']);
    expect(dropsNamespace('a / ignoring (namespace) b')).toEqual(['ignoring (namespace) at 4']);
    expect(dropsNamespace('max_over_time(x[5m]) > 0 unless on (namespace) y')).toEqual([]);
  });

  it.each(rules.map((r) => [r.alert, r.labels.severity, r.expr]))(
    '%s (%s) groups and matches by namespace everywhere',
    (_, __, expr) => {
      expect(dropsNamespace(expr)).toEqual([]);
    },
  );
});
