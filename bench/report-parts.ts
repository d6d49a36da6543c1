import { SERVICE_NAMES } from '@shop/contracts';
import type { AbResult } from './ab/run';
import { PER_ORDER_COUNTERS } from './ab/summary';
import type { IdleWindow, LowRateWindow } from './saga/windows';
import { CORE_SHARE_PER_REPLICA, type ScalePlan } from './scale';

export const n = (x: number, digits = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const short = (service: string) => service.replace('-service', '');

/** What a read of the code counted per happy order (issue 15), beside what the servers counted. */
const ISSUE_ESTIMATE: Record<string, string> = {
  transactions: '~19',
  statements: '~100',
  'kafka.Produce': '~6',
  'kafka.OffsetCommit': '~8',
  'kafka.Fetch': '~8',
};

export function idleRows(idle: IdleWindow): string[][] {
  return [
    ['process', 'cores', 'RSS MB'],
    ...Object.keys(idle.cores).map((g) => [g, n(idle.cores[g]!, 3), n(idle.rssMb[g] ?? 0)]),
    ["the system's processes", n(idle.systemCores, 3), ''],
    ['whole machine (/proc/stat) less the benchmark', n(idle.machineCores, 3), ''],
    ['load generator (apart)', n(idle.loadGeneratorCores, 3), ''],
  ];
}

/** Counters per second at idle: what polling, heartbeats and long-poll fetches cost. */
export function idleCounterRows(idle: IdleWindow): string[][] {
  return [
    ['counter', 'per second'],
    ...counterKeys(idle.perSecond).map((k) => [label(k), n(idle.perSecond[k]!, 1)]),
  ];
}

export function lowRateCpuRows(low: LowRateWindow): string[][] {
  const rows = Object.entries(low.cpuMsPerOrder).map(([g, v]) => [
    g,
    n(v.gross, 2),
    n(v.aboveIdle, 2),
  ]);
  const total = (pick: (v: { gross: number; aboveIdle: number }) => number) =>
    Object.values(low.cpuMsPerOrder).reduce((t, v) => t + pick(v), 0);
  return [
    ['process', 'CPU ms per order', 'above idle'],
    ...rows,
    [
      "the system's processes",
      n(
        total((v) => v.gross),
        2,
      ),
      n(
        total((v) => v.aboveIdle),
        2,
      ),
    ],
  ];
}

/**
 * Per happy order: statements, transactions, WAL and Kafka requests by service, then the total
 * with the idle system's share over the same seconds taken out. That share can exceed what the
 * window did for requests idle makes anyway (long-poll fetches, heartbeats, metadata).
 */
export function lowRateCounterRows(low: LowRateWindow): string[][] {
  const header = [
    'per happy order',
    ...SERVICE_NAMES.map(short),
    'total',
    'total above idle',
    'read of the code',
  ];
  const rows = counterKeys(low.perOrderGross)
    .filter((k) => k in ISSUE_ESTIMATE || !k.startsWith('kafka.') || low.perOrderGross[k]! >= 0.05)
    .map((k) => [
      label(k),
      ...SERVICE_NAMES.map((s) => {
        const v = low.perOrderGross[`${k}.${s}`];
        return v === undefined ? '' : n(v, 1);
      }),
      n(low.perOrderGross[k]!, 1),
      n(low.perOrder[k] ?? 0, 1),
      ISSUE_ESTIMATE[k] ?? '',
    ]);
  return [header, ...rows];
}

/** Totals only (no `.service` suffix), in a stable order: SQL first, then WAL, then Kafka. */
function counterKeys(record: Record<string, number>): string[] {
  const totals = Object.keys(record).filter((k) => !SERVICE_NAMES.some((s) => k.endsWith(`.${s}`)));
  const rank = (k: string) =>
    [
      'transactions',
      'statements',
      'walWrites',
      'walSyncs',
      'kafka.Produce',
      'kafka.Fetch',
      'kafka.OffsetCommit',
    ].indexOf(k);
  return totals.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    if (ra >= 0 || rb >= 0) return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb);
    return a.localeCompare(b);
  });
}

function label(key: string): string {
  const names: Record<string, string> = {
    transactions: 'DB transactions',
    statements: 'SQL statements',
    walWrites: 'WAL writes',
    walSyncs: 'WAL flushes (fsync)',
  };
  return names[key] ?? (key.startsWith('kafka.') ? `Kafka ${key.slice(6)} requests` : key);
}

export function startupRows(startupMs: Record<string, number>, idle?: IdleWindow): string[][] {
  return [
    ['service (compiled JS)', 'start-up to ready, ms', 'RSS at idle, MB'],
    ...Object.entries(startupMs).map(([s, ms]) => [s, n(ms), idle ? n(idle.rssMb[s] ?? 0) : '']),
  ];
}

export function abRows(ab: AbResult): string[][] {
  const groups = [...new Set(ab.summary.flatMap((s) => Object.keys(s.ratio.cpuMsPerOrder)))];
  return [
    [
      'configuration',
      'system CPU ms/order',
      '× baseline',
      'machine × baseline',
      'p99 ms',
      'p99 × baseline',
      'sustained',
      ...groups.map((g) => `${short(g)} ×`),
      ...PER_ORDER_COUNTERS.map((k) => `${label(k).replace(' requests', '')}/order`),
    ],
    ...ab.summary.map((s) => [
      s.configuration,
      n(s.median.systemMsPerOrder, 1),
      ratio(s.ratio.systemMsPerOrder),
      ratio(s.ratio.machineMsPerOrder),
      n(s.median.p99Ms),
      ratio(s.ratio.p99Ms),
      `${s.sustained}/${s.repeats}`,
      ...groups.map((g) => ratio(s.ratio.cpuMsPerOrder[g] ?? NaN)),
      ...PER_ORDER_COUNTERS.map((k) => n(s.median.perOrder[k] ?? NaN, 1)),
    ]),
  ];
}

export function leverRows(ab: AbResult): string[][] {
  return [
    ['lever', 'services', 'baseline', 'lever'],
    ...ab.levers.map((l) => [
      l.name,
      l.services.length === SERVICE_NAMES.length ? 'all' : l.services.map(short).join(', '),
      Object.entries(l.env)
        .map(([k, [b]]) => `${k}=${b}`)
        .join(' '),
      Object.entries(l.env)
        .map(([k, [, v]]) => `${k}=${v}`)
        .join(' '),
    ]),
  ];
}

export function scaleRows(plan: ScalePlan): string[][] {
  return [
    [
      'service',
      'CPU ms/order',
      `cores at ${n(plan.targetOrdersPerSecond)}/s`,
      `replicas (${CORE_SHARE_PER_REPLICA * 100} % of a core each)`,
      'partitions now',
      'its group caps at orders/s',
      'partitions needed',
    ],
    ...plan.services.map((s) => [
      s.service,
      n(s.msPerOrder, 2),
      n(s.cores, 1),
      String(s.replicas),
      String(s.partitions),
      n(s.cappedAtOrdersPerSecond),
      String(s.partitionsNeeded),
    ]),
    ['Kafka brokers (3 here)', '', n(plan.brokerCores, 1), '', '', '', ''],
    ['PostgreSQL', '', n(plan.postgresCores, 1), '', '', '', ''],
    ['total', '', n(plan.totalCores, 1), '', '', '', ''],
  ];
}
