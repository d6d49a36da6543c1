import type { ScenarioResult } from './run-scenario';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The per-scenario table, as a Markdown table so it can go into docs/reliability.md as printed. */
export function scenarioTable(results: readonly ScenarioResult[]): string[] {
  const rows = results.map((r) => [
    r.name,
    String(r.orders),
    String(r.refused),
    String(r.faults),
    seconds(r.recoveryMs),
    seconds(r.settleMs),
    String(r.violations.length),
  ]);
  const header = [
    'scenario',
    'orders',
    'refused',
    'faults injected',
    'recovery',
    'settled in',
    'violations',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

export function violationLines(results: readonly ScenarioResult[]): string[] {
  return results.flatMap((r) => r.violations.map((v) => `  ${r.name}: ${v}`));
}
