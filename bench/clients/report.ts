import type { Runner, Sample } from './run-worker';

export type TaskName =
  | 'single sends'
  | 'batched sends'
  | 'consumer group'
  | `consumer group at ${number} records/s`
  | 'idle';

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

/** CPU per record, or per second where there are none (the idle task). */
const perRecord = (s: Sample) => s.cpuMs / (s.records || s.seconds);
const brokerPerRecord = (s: Sample) => s.brokerCpuMs / (s.records || s.seconds);
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
      brokerCpuMsPer1k: median(samples.map((s) => brokerPerRecord(s) * 1000)),
      cpuRatio: median(pairs.map(([s, b]) => perRecord(s!) / perRecord(b!))),
      recordsPerSecondRatio: median(pairs.map(([s, b]) => rate(s!) / rate(b!))),
    };
  });
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

export function markdownTable(task: TaskName, rows: readonly Row[]): string {
  const versus = (r: Row, ratio: number) => (r.label === r.baseline ? 'baseline' : fixed(ratio, 2));
  if (task === 'idle') {
    return [
      '### idle (a connected producer and consumer group, no records)',
      '',
      '| client | client CPU ms/s | brokers CPU ms/s (above their own idle) | CPU vs baseline |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${fixed(r.cpuMsPer1k / 1000, 1)} | ${fixed(r.brokerCpuMsPer1k / 1000, 1)} | ${versus(r, r.cpuRatio)} |`,
      ),
    ].join('\n');
  }
  return [
    `### ${task}`,
    '',
    '| client | records/s | client CPU ms / 1k records | brokers CPU ms / 1k records | CPU / 1k vs baseline | records/s vs baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fixed(r.recordsPerSecond)} | ${fixed(r.cpuMsPer1k, 1)} | ${fixed(r.brokerCpuMsPer1k, 1)} | ${versus(r, r.cpuRatio)} | ${versus(r, r.recordsPerSecondRatio)} |`,
    ),
  ].join('\n');
}
