import type { Runner, Sample } from './run-worker';

export type TaskName = 'single sends' | 'batched sends' | 'consumer group';

export interface Row {
  readonly label: string;
  readonly baseline: string;
  readonly recordsPerSecond: number;
  readonly cpuMsPer1k: number;
  readonly brokerCpuMsPer1k: number;
  /** Median over rounds of (this client's CPU per record / its baseline's in the same round). */
  readonly cpuRatio: number;
  readonly recordsPerSecondRatio: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const perRecord = (s: Sample) => s.cpuMs / s.records;
const rate = (s: Sample) => s.records / s.seconds;

/**
 * Medians per runner, and ratios paired round by round against the kafkajs runner on the same
 * Node.js (noisy machines shift absolutes between rounds; a ratio in one round carries over).
 */
export function rowsOf(runners: readonly Runner[], rounds: ReadonlyMap<string, Sample>[]): Row[] {
  return runners.map((runner) => {
    const baseline = runners.find((r) => r.client === 'kafkajs' && r.node === runner.node)!;
    const samples = rounds.map((round) => round.get(runner.label)!);
    const pairs = rounds.map((round) => [round.get(runner.label)!, round.get(baseline.label)!]);
    return {
      label: runner.label,
      baseline: baseline.label,
      recordsPerSecond: median(samples.map(rate)),
      cpuMsPer1k: median(samples.map((s) => perRecord(s) * 1000)),
      brokerCpuMsPer1k: median(samples.map((s) => (s.brokerCpuMs / s.records) * 1000)),
      cpuRatio: median(pairs.map(([s, b]) => perRecord(s!) / perRecord(b!))),
      recordsPerSecondRatio: median(pairs.map(([s, b]) => rate(s!) / rate(b!))),
    };
  });
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

export function markdownTable(task: TaskName, rows: readonly Row[]): string {
  const lines = [
    `### ${task}`,
    '',
    '| client | records/s | client CPU ms / 1k records | brokers CPU ms / 1k records | CPU / 1k vs baseline | records/s vs baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fixed(r.recordsPerSecond)} | ${fixed(r.cpuMsPer1k, 1)} | ${fixed(r.brokerCpuMsPer1k, 1)} | ${r.label === r.baseline ? 'baseline' : fixed(r.cpuRatio, 2)} | ${r.label === r.baseline ? 'baseline' : fixed(r.recordsPerSecondRatio, 2)} |`,
    ),
  ];
  return lines.join('\n');
}
