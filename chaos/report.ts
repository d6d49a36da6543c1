import type { ScenarioResult } from './run-scenario';
import type { SagaStep } from './saga-steps';

/** A duration as the report prints it; "-" for a figure there is none of. */
export const seconds = (ms: number | undefined) =>
  ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`;

/** A missing figure misses its target. */
const meets = (ms: number | undefined, target: number) => ms !== undefined && ms <= target;

/** A figure, and beside it its target and whether it was met. */
function againstTarget(ms: number | undefined, target: number | undefined): string {
  if (target === undefined) return seconds(ms);
  return `${seconds(ms)} (≤ ${target / 1000} s ${meets(ms, target) ? 'met' : 'MISSED'})`;
}

/** Every target a scenario missed, one line each. */
export function missedTargets(results: readonly ScenarioResult[]): string[] {
  return results.flatMap((r) => {
    const missed: string[] = [];
    const { faultP99Ms, recoveryMs } = r.targets ?? {};
    const p99 = r.duringFault.p99Ms;
    if (faultP99Ms !== undefined && !meets(p99, faultP99Ms))
      missed.push(`  ${r.name}: p99 during the fault ${seconds(p99)} > ${seconds(faultP99Ms)}`);
    if (recoveryMs !== undefined && !meets(r.recoveryMs, recoveryMs))
      missed.push(`  ${r.name}: recovery ${seconds(r.recoveryMs)} > ${seconds(recoveryMs)}`);
    return missed;
  });
}

/** The per-scenario table, as a Markdown table so it can go into docs/reliability.md as printed. */
export function scenarioTable(results: readonly ScenarioResult[]): string[] {
  const rows = results.map((r) => [
    r.name,
    String(r.orders),
    String(r.refused),
    String(r.faults),
    againstTarget(r.duringFault.p99Ms, r.targets?.faultP99Ms),
    againstTarget(r.recoveryMs, r.targets?.recoveryMs),
    seconds(r.settleMs),
    String(r.violations.length),
  ]);
  const header = [
    'scenario',
    'orders',
    'refused',
    'faults injected',
    'p99 during fault',
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

/**
 * The steps of the orders placed during a fault whose p99 took over a second, slowest first:
 * where the fault's latency went.
 */
export function slowStepLines(
  steps: readonly SagaStep[],
  faultAt: number,
  overMs = 1_000,
): string[] {
  return [...steps]
    .filter((s) => s.p99Ms > overMs)
    .sort((a, b) => b.p99Ms - a.p99Ms)
    .map(
      (s) =>
        `    ${s.step}: p50 ${seconds(s.p50Ms)}, p99 ${seconds(s.p99Ms)}, max ${seconds(s.maxMs)} at +${seconds(s.slowestStartMs - faultAt)} (${s.count})`,
    );
}
