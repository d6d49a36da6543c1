import type { BenchResult } from './report';
import type { StepResult } from './saga/step';

/** CPU ms per finished order by process group over a step (each group's % of one core × 10 / rate). */
export function cpuMsPerOrderOf(step: StepResult): Record<string, number> {
  return Object.fromEntries(
    Object.entries(step.processes).map(([name, u]) => [
      name,
      (u.cpuPercent * 10) / step.terminalPerSecond,
    ]),
  );
}

/** The system's processes together (services, brokers, PostgreSQL), the load generator left out. */
export const systemMsPerOrder = (step: StepResult) =>
  Object.values(cpuMsPerOrderOf(step)).reduce((a, b) => a + b, 0);

/** /proc/stat's busy time less the load generator's, per order: catches work no group names. */
export const machineMsPerOrder = (step: StepResult, cores: number) =>
  (step.machineCpuPercent * cores * 10 - step.loadGenerator.cpuPercent * 10) /
  step.terminalPerSecond;

/**
 * The CPU figures the paper plan scales from: the step at 100 orders/s when it was sustained,
 * else the highest sustained step, else the low-rate window.
 */
export function scaleSource(
  result: Pick<BenchResult, 'steps' | 'lowRate'>,
): { name: string; cpuMsPerOrder: Record<string, number> } | undefined {
  const sustained = result.steps.filter((s) => s.sustainable && s.violations === 0);
  const step =
    sustained.find((s) => s.rate === 100) ?? sustained.sort((a, b) => b.rate - a.rate)[0];
  if (step)
    return { name: `saga step at ${step.rate} orders/s`, cpuMsPerOrder: cpuMsPerOrderOf(step) };
  if (result.lowRate)
    return {
      name: `low-rate window (${result.lowRate.step.rate} orders/s)`,
      cpuMsPerOrder: Object.fromEntries(
        Object.entries(result.lowRate.cpuMsPerOrder).map(([k, v]) => [k, v.gross]),
      ),
    };
  return undefined;
}

/** Issue 15's targets on this 2-core machine, each with the figure that decides it. */
export function targetsOf(result: BenchResult): BenchResult['targets'] {
  const targets: BenchResult['targets'] = [];
  const at100 = result.steps.find((s) => s.rate === 100);
  if (result.steps.length > 0)
    targets.push({
      target: '>= 150 orders/s sustained (95 % finished, 0 violations)',
      met: (result.maxSustainable ?? 0) >= 150,
      figure: `highest sustained rate ${result.maxSustainable ?? 0} orders/s`,
    });
  if (at100) {
    const suffix = at100.sustainable ? '' : ' (not sustained)';
    targets.push({
      target: 'p99 created -> terminal <= 500 ms at 100 orders/s',
      met: at100.sustainable && at100.latencyMs.p99 <= 500,
      figure: `p99 ${Math.round(at100.latencyMs.p99)} ms${suffix}`,
    });
    const system = systemMsPerOrder(at100);
    targets.push({
      target: 'whole-machine CPU <= 12 ms per order at 100 orders/s',
      met: at100.sustainable && system <= 12,
      figure: `${system.toFixed(1)} ms (system's processes); ${machineMsPerOrder(at100, result.machine.cpus).toFixed(1)} ms (/proc/stat less the load generator)${suffix}`,
    });
    const rss = Math.max(
      ...Object.entries(at100.processes)
        .filter(([name]) => name.endsWith('-service'))
        .map(([, u]) => u.rssMaxMb),
    );
    targets.push({
      target: '<= 120 MB RSS per service at 100 orders/s',
      met: rss <= 120,
      figure: `max ${Math.round(rss)} MB`,
    });
  }
  if (result.idle)
    targets.push({
      target: '<= 0.25 cores at 0 orders/s (idle system)',
      met: result.idle.systemCores <= 0.25,
      figure: `${result.idle.systemCores.toFixed(2)} cores (system's processes); ${result.idle.machineCores.toFixed(2)} (/proc/stat less the benchmark)`,
    });
  if (result.raw) {
    const ratio =
      result.raw.kitConsume.recordsPerSecond / result.raw.kafkajsConsume.recordsPerSecond;
    targets.push({
      target: 'kit consumer (no-op handler) >= 50 % of a plain kafkajs group',
      met: ratio >= 0.5,
      figure: `${(ratio * 100).toFixed(1)} % (${Math.round(result.raw.kitConsume.recordsPerSecond)} vs ${Math.round(result.raw.kafkajsConsume.recordsPerSecond)} records/s)`,
    });
  }
  return targets;
}
