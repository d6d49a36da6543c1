import { median, rowsOf } from '../report';
import type { Runner, Sample } from '../run-worker';

const runners: Runner[] = [
  { label: 'kafkajs 20', client: 'kafkajs', node: '/node20' },
  { label: 'confluent 20', client: 'confluent', node: '/node20' },
  { label: 'kafkajs 22', client: 'kafkajs', node: '/node22' },
  { label: 'platformatic 22', client: 'platformatic', node: '/node22' },
];

const sample = (cpuMs: number, seconds = 1): Sample => ({
  records: 1000,
  seconds,
  cpuMs,
  brokerCpuMs: 0,
});

describe('client comparison report', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even one', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('compares each client with kafkajs on its own Node.js, paired within each round', () => {
    // Round 2 is twice as slow for everyone (a busy machine): paired ratios do not move.
    const round = (scale: number) =>
      new Map([
        ['kafkajs 20', sample(100 * scale)],
        ['confluent 20', sample(50 * scale)],
        ['kafkajs 22', sample(80 * scale)],
        ['platformatic 22', sample(120 * scale)],
      ]);
    const rows = rowsOf(runners, [round(1), round(2), round(1)]);
    expect(rows.map((r) => [r.label, r.baseline, r.cpuRatio])).toEqual([
      ['kafkajs 20', 'kafkajs 20', 1],
      ['confluent 20', 'kafkajs 20', 0.5],
      ['kafkajs 22', 'kafkajs 22', 1],
      ['platformatic 22', 'kafkajs 22', 1.5],
    ]);
    expect(rows[1]!.cpuMsPer1k).toBe(50);
  });

  it('counts an idle client per second, having no records to count by', () => {
    const idle = (cpuMs: number): Sample => ({ records: 0, seconds: 10, cpuMs, brokerCpuMs: 0 });
    const round = new Map(runners.map((r, i) => [r.label, idle(100 * (i + 1))]));
    const rows = rowsOf(runners, [round]);
    expect(rows.map((r) => r.cpuMsPer1k / 1000)).toEqual([10, 20, 30, 40]);
    expect(rows[1]!.cpuRatio).toBe(2);
  });
});
