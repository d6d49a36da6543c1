import os from 'node:os';
import type { AbResult } from './ab/run';
import type { StepResult } from './saga/step';
import type { IdleWindow, LowRateWindow } from './saga/windows';
import type { ScalePlan } from './scale';
import { machineMsPerOrder, systemMsPerOrder } from './targets';
import {
  abRows,
  idleCounterRows,
  idleRows,
  leverRows,
  lowRateCounterRows,
  lowRateCpuRows,
  n,
  scaleRows,
  startupRows,
} from './report-parts';

export interface RawFigures {
  readonly recordSizeBytes: number;
  readonly javaProduce: {
    recordsPerSecond: number;
    mbPerSecond: number;
    latencyMs?: { p50: number; p99: number };
  };
  readonly javaConsume: { recordsPerSecond: number; mbPerSecond: number };
  readonly kafkajsProduce: { recordsPerSecond: number };
  readonly kitProduce: { recordsPerSecond: number };
  readonly kafkajsConsume: { recordsPerSecond: number };
  readonly kitConsume: { recordsPerSecond: number };
  readonly postgresSagaStep: { transactionsPerSecond: number };
}

export interface BenchResult {
  readonly startedAt: string;
  readonly machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    kernel: string;
  };
  readonly settings: {
    rates: number[];
    secondsPerStep: number;
    warmupSeconds: number;
    idleSeconds: number;
    lowRate: number;
    lowRateSeconds: number;
  };
  readonly raw?: RawFigures;
  /** Milliseconds from spawn to ready per service (compiled JavaScript, as production runs it). */
  readonly startupMs?: Record<string, number>;
  readonly idle?: IdleWindow;
  readonly lowRate?: LowRateWindow;
  readonly steps: Array<StepResult & { violations: number }>;
  readonly maxSustainable?: number;
  readonly ab?: AbResult;
  readonly scale?: ScalePlan;
  readonly targets: Array<{ target: string; met: boolean; figure: string }>;
}

export function machine(): BenchResult['machine'] {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    kernel: os.release(),
  };
}

const pct = (a: number, b: number) => (b > 0 ? `${((a / b) * 100).toFixed(1)} %` : 'n/a');

function rawRows(raw: RawFigures): string[][] {
  return [
    [
      'Kafka ProducerPerformance (JVM, acks=all, idempotent, snappy, 256 KiB batches)',
      n(raw.javaProduce.recordsPerSecond),
      '100 %',
    ],
    [
      'kafkajs producer (acks=all, idempotent)',
      n(raw.kafkajsProduce.recordsPerSecond),
      pct(raw.kafkajsProduce.recordsPerSecond, raw.javaProduce.recordsPerSecond),
    ],
    [
      'kit ReliableProducer (outbox relay path)',
      n(raw.kitProduce.recordsPerSecond),
      pct(raw.kitProduce.recordsPerSecond, raw.kafkajsProduce.recordsPerSecond) + ' of kafkajs',
    ],
    ['Kafka ConsumerPerformance (JVM)', n(raw.javaConsume.recordsPerSecond), '100 %'],
    [
      'kafkajs consumer group (parse + commit)',
      n(raw.kafkajsConsume.recordsPerSecond),
      pct(raw.kafkajsConsume.recordsPerSecond, raw.javaConsume.recordsPerSecond),
    ],
    [
      'kit MessageConsumer, no-op handler',
      n(raw.kitConsume.recordsPerSecond),
      pct(raw.kitConsume.recordsPerSecond, raw.kafkajsConsume.recordsPerSecond) + ' of kafkajs',
    ],
    [
      'PostgreSQL saga-step transactions (pg, 3 clients)',
      n(raw.postgresSagaStep.transactionsPerSecond),
      '',
    ],
  ];
}

function stepRows(result: BenchResult): string[][] {
  return result.steps.map((s) => [
    `${s.rate}`,
    n(s.terminalPerSecond, 1),
    `${n(s.latencyMs.p50)} / ${n(s.latencyMs.p95)} / ${n(s.latencyMs.p99)}`,
    n(s.kafkaEventsPerSecond),
    n(s.dbTransactionsPerSecond),
    Object.entries(s.processes)
      .filter(([name]) => name.endsWith('-service'))
      .map(([, u]) => `${n(u.cpuPercent)}%/${n(u.rssMaxMb)}M`)
      .join(' '),
    n(s.lagAtEnd),
    String(s.violations),
    s.sustainable ? 'yes' : s.abandoned ? 'no (stopped)' : 'no',
  ]);
}

const STEP_HEADER = [
  'orders/s offered',
  'terminal/s',
  'p50 / p95 / p99 ms',
  'events/s',
  'DB tx/s',
  'CPU/RSS order inv pay notif',
  'lag',
  'violations',
  'sustained',
];

/**
 * CPU time spent per finished order, by process group: where the machine's two cores go. The
 * load generator is apart; the machine column is /proc/stat less it (other work on the machine
 * shows there and not in the system's sum).
 */
function cpuRows(result: BenchResult): string[][] {
  const groups = [...new Set(result.steps.flatMap((s) => Object.keys(s.processes)))];
  const header = [
    'orders/s offered',
    ...groups,
    "system's processes",
    'machine less load generator',
    'load generator',
  ];
  const rows = result.steps
    .filter((s) => s.terminalPerSecond > 0)
    .map((s) => [
      String(s.rate),
      ...groups.map((g) => n(((s.processes[g]?.cpuPercent ?? 0) * 10) / s.terminalPerSecond, 1)),
      n(systemMsPerOrder(s), 1),
      n(machineMsPerOrder(s, result.machine.cpus), 1),
      n((s.loadGenerator.cpuPercent * 10) / s.terminalPerSecond, 1),
    ]);
  return [header, ...rows];
}

export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

function markdownTable(rows: string[][]): string {
  const [header, ...body] = rows;
  return [header!, header!.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function terminalReport(result: BenchResult): string {
  const parts: string[] = [];
  if (result.raw)
    parts.push(
      textTable([['raw limits and the kit', 'records/s', 'ratio'], ...rawRows(result.raw)]),
    );
  if (result.startupMs) parts.push(textTable(startupRows(result.startupMs, result.idle)));
  if (result.idle) parts.push(`idle (0 orders/s)\n${textTable(idleRows(result.idle))}`);
  if (result.lowRate) {
    parts.push(`low rate, per happy order\n${textTable(lowRateCpuRows(result.lowRate))}`);
    parts.push(textTable(lowRateCounterRows(result.lowRate)));
  }
  if (result.steps.length > 0) {
    parts.push(textTable([STEP_HEADER, ...stepRows(result)]));
    parts.push(`CPU ms per finished order\n${textTable(cpuRows(result))}`);
  }
  if (result.ab) parts.push(`A/B, median ratios to the baseline\n${textTable(abRows(result.ab))}`);
  if (result.scale) parts.push(`2,000 orders/s on paper\n${textTable(scaleRows(result.scale))}`);
  parts.push(
    ...result.targets.map((t) => `${t.met ? 'met   ' : 'missed'}  ${t.target}: ${t.figure}`),
  );
  return parts.join('\n\n');
}

export function markdownReport(result: BenchResult): string {
  const m = result.machine;
  const lines = [
    `# Benchmark report`,
    '',
    `Run ${result.startedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GiB, Node ${m.node}, Linux ${m.kernel};`,
    `everything on one host (3 Kafka brokers, PostgreSQL, 4 services, the load generator).`,
    '',
  ];
  if (result.raw) {
    lines.push(
      `## Raw limits and the messaging kit (records of ${result.raw.recordSizeBytes} bytes)`,
      '',
    );
    lines.push(markdownTable([['what', 'records/s', 'ratio'], ...rawRows(result.raw)]), '');
  }
  lines.push(...windowSections(result));
  if (result.steps.length > 0) {
    lines.push(
      `## The saga, open loop (${result.settings.secondsPerStep} s per step after a ${result.settings.warmupSeconds} s warm-up)`,
      '',
      'Latency is created -> COMPLETED/CANCELLED, from the order database. CPU is % of one core.',
      '',
      markdownTable([STEP_HEADER, ...stepRows(result)]),
      '',
      '![latency and throughput per rate](latest.svg)',
      '',
      'CPU milliseconds per finished order, by process (PostgreSQL with all its backends):',
      '',
      markdownTable(cpuRows(result)),
      '',
    );
    if (result.maxSustainable !== undefined)
      lines.push(`Highest sustained rate found: **${result.maxSustainable} orders/s**.`, '');
    if (result.raw) {
      const best = result.steps.filter((s) => s.sustainable).sort((a, b) => b.rate - a.rate)[0];
      if (best)
        lines.push(
          `At ${best.rate} orders/s the saga moved ${n(best.kafkaEventsPerSecond)} events/s = ${pct(best.kafkaEventsPerSecond, result.raw.kafkajsProduce.recordsPerSecond)} of raw kafkajs produce and ${pct(best.kafkaEventsPerSecond, result.raw.javaProduce.recordsPerSecond)} of the JVM producer; ${n(best.dbTransactionsPerSecond)} DB transactions/s = ${pct(best.dbTransactionsPerSecond, result.raw.postgresSagaStep.transactionsPerSecond)} of raw PostgreSQL.`,
          '',
        );
    }
  }
  lines.push(...extraSections(result));
  lines.push(
    '## Targets',
    '',
    ...result.targets.map((t) => `- ${t.met ? '✅' : '❌'} ${t.target}: ${t.figure}`),
    '',
  );
  return lines.join('\n');
}

function windowSections(result: BenchResult): string[] {
  const lines: string[] = [];
  if (result.startupMs)
    lines.push(
      '## Start-up and memory at idle',
      '',
      markdownTable(startupRows(result.startupMs, result.idle)),
      '',
    );
  if (result.idle)
    lines.push(
      `## Idle: 0 orders/s for ${result.idle.seconds} s`,
      '',
      'CPU in cores (1 = one core busy all the time); PostgreSQL with all its backends, listed at every sample.',
      '',
      markdownTable(idleRows(result.idle)),
      '',
      markdownTable(idleCounterRows(result.idle)),
      '',
    );
  if (result.lowRate) {
    const low = result.lowRate;
    lines.push(
      `## Per happy order at ${low.step.rate} orders/s (${result.settings.lowRateSeconds} s, ${low.step.terminal} orders)`,
      '',
      `Statements are counted by PostgreSQL (pg_stat_statements, the services' role only: BEGIN, COMMIT and SAVEPOINT count); transactions from pg_stat_database less the benchmark's own; WAL from pg_stat_io; Kafka requests from each service's kafka_client_requests_total. "Above idle" takes out what the idle system did over the same ${n(low.countedSeconds)} s. p99 created -> terminal ${n(low.step.latencyMs.p99)} ms.`,
      '',
      markdownTable(lowRateCpuRows(low)),
      '',
      markdownTable(lowRateCounterRows(low)),
      '',
    );
  }
  return lines;
}

function extraSections(result: BenchResult): string[] {
  const lines: string[] = [];
  if (result.ab) {
    const ab = result.ab;
    lines.push(
      `## Levers, A/B at ${ab.rate} orders/s (${ab.seconds} s windows, ${ab.repeats} interleaved repeats)`,
      '',
      'Each configuration restarts the four services with every lever set explicitly (on, or its baseline value). Ratios are to the baseline in the same repeat, then the median over repeats; "system" is the services, brokers and PostgreSQL, "machine" is /proc/stat less the load generator.',
      '',
      markdownTable(leverRows(ab)),
      '',
      markdownTable(abRows(ab)),
      '',
    );
  }
  if (result.scale) {
    const plan = result.scale;
    lines.push(
      `## ${n(plan.targetOrdersPerSecond)} orders/s on paper`,
      '',
      `From the CPU per order of the ${plan.source}, partitions from k8s/strimzi/kafka-topics.yaml. A consumer group hands each partition to one member, so its replicas past the partition count idle: "caps at" is the rate its group reaches with one replica per partition.`,
      '',
      markdownTable(scaleRows(plan)),
      '',
    );
  }
  return lines;
}

/** Bars of p50/p95/p99 latency per rate, and terminal orders/s as a line on a second axis. */
export function svgChart(steps: readonly StepResult[]): string {
  const W = 640;
  const H = 320;
  const pad = { l: 60, r: 60, t: 30, b: 40 };
  const plotW = W - pad.l - pad.r;
  const plotH = H - pad.t - pad.b;
  const maxLatency = Math.max(1, ...steps.map((s) => s.latencyMs.p99));
  const maxRate = Math.max(1, ...steps.map((s) => Math.max(s.rate, s.terminalPerSecond)));
  const slot = plotW / Math.max(1, steps.length);
  const bar = slot / 5;
  const colors = ['#4e79a7', '#f28e2b', '#e15759'];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${pad.l}" y="18">created -> terminal latency (ms, bars p50/p95/p99) and terminal orders/s (line)</text>`,
    `<line x1="${pad.l}" y1="${pad.t + plotH}" x2="${pad.l + plotW}" y2="${pad.t + plotH}" stroke="black"/>`,
    `<text x="${pad.l - 5}" y="${pad.t + 4}" text-anchor="end">${Math.round(maxLatency)}</text>`,
    `<text x="${pad.l + plotW + 5}" y="${pad.t + 4}">${Math.round(maxRate)}/s</text>`,
  ];
  const points: string[] = [];
  steps.forEach((s, i) => {
    const x0 = pad.l + i * slot + bar;
    [s.latencyMs.p50, s.latencyMs.p95, s.latencyMs.p99].forEach((v, k) => {
      const h = (v / maxLatency) * plotH;
      out.push(
        `<rect x="${x0 + k * bar}" y="${pad.t + plotH - h}" width="${bar - 2}" height="${h}" fill="${colors[k]}"/>`,
      );
    });
    out.push(
      `<text x="${x0 + 1.5 * bar}" y="${H - pad.b + 15}" text-anchor="middle">${s.rate}/s</text>`,
    );
    points.push(`${x0 + 1.5 * bar},${pad.t + plotH - (s.terminalPerSecond / maxRate) * plotH}`);
  });
  out.push(
    `<polyline points="${points.join(' ')}" fill="none" stroke="#59a14f" stroke-width="2"/>`,
  );
  out.push('</svg>');
  return out.join('\n');
}
