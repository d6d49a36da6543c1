import type { Configuration } from './levers';
import type { AbRun } from './run';

/** The counts the A/B table shows per order (totals over the four services). */
export const PER_ORDER_COUNTERS = [
  'statements',
  'transactions',
  'walSyncs',
  'kafka.Produce',
  'kafka.Fetch',
  'kafka.OffsetCommit',
] as const;

/** One configuration against the baseline: medians of per-repeat ratios, and its own medians. */
export interface AbSummary {
  readonly configuration: string;
  readonly on: readonly string[];
  /** Median over repeats of (this configuration / baseline in the same repeat); 1 for the baseline. */
  readonly ratio: {
    readonly systemMsPerOrder: number;
    readonly machineMsPerOrder: number;
    readonly p99Ms: number;
    readonly cpuMsPerOrder: Record<string, number>;
  };
  readonly median: {
    readonly systemMsPerOrder: number;
    readonly machineMsPerOrder: number;
    readonly p99Ms: number;
    /** Statements, transactions, WAL flushes, Kafka requests per order. */
    readonly perOrder: Record<string, number>;
  };
  /** Repeats in which the rate was sustained. */
  readonly sustained: number;
  readonly repeats: number;
}

export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/**
 * Ratios to the baseline are taken within a repeat, then their median across repeats: the
 * machine's drift between repeats (other work, a warmer cache) cancels out of each ratio.
 */
export function summarize(
  configurations: readonly Configuration[],
  runs: readonly AbRun[],
): AbSummary[] {
  const baseline = configurations[0]!.name;
  const baselineOf = (repeat: number) =>
    runs.find((r) => r.configuration === baseline && r.repeat === repeat);
  return configurations.map((c) => {
    const own = runs.filter((r) => r.configuration === c.name);
    const paired = own.flatMap((r) => {
      const b = baselineOf(r.repeat);
      return b ? [[r, b] as const] : [];
    });
    const ratio = (pick: (r: AbRun) => number) => median(paired.map(([r, b]) => pick(r) / pick(b)));
    const groups = [...new Set(own.flatMap((r) => Object.keys(r.cpuMsPerOrder)))];
    return {
      configuration: c.name,
      on: c.on,
      ratio: {
        systemMsPerOrder: ratio((r) => r.systemMsPerOrder),
        machineMsPerOrder: ratio((r) => r.machineMsPerOrder),
        p99Ms: ratio((r) => r.p99Ms),
        cpuMsPerOrder: Object.fromEntries(
          groups.map((g) => [g, ratio((r) => r.cpuMsPerOrder[g] ?? NaN)]),
        ),
      },
      median: {
        systemMsPerOrder: median(own.map((r) => r.systemMsPerOrder)),
        machineMsPerOrder: median(own.map((r) => r.machineMsPerOrder)),
        p99Ms: median(own.map((r) => r.p99Ms)),
        perOrder: Object.fromEntries(
          PER_ORDER_COUNTERS.map((k) => [k, median(own.map((r) => r.perOrder[k] ?? NaN))]),
        ),
      },
      sustained: own.filter((r) => r.sustained).length,
      repeats: own.length,
    };
  });
}
