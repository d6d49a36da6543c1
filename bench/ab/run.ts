import type { Kafka } from 'kafkajs';
import type { BenchStack } from '../stack';
import { sagaLag } from '../saga/counters';
import { CORES } from '../saga/process-stats';
import { startSession } from '../saga/session';
import { runStep, type StepResult } from '../saga/step';
import { counterDelta, readServerCounters } from '../saga/server-counters';
import { withTotals } from '../saga/windows';
import { configurations, envOf, type Configuration, type Lever } from './levers';
import { PER_ORDER_COUNTERS, summarize, type AbSummary } from './summary';

/** One configuration's measured window in one repeat. */
export interface AbRun {
  readonly configuration: string;
  readonly repeat: number;
  /** CPU ms per finished order by process group, and summed: the system, the machine less the load generator. */
  readonly cpuMsPerOrder: Record<string, number>;
  readonly systemMsPerOrder: number;
  readonly machineMsPerOrder: number;
  readonly loadGeneratorMsPerOrder: number;
  readonly terminalPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly sustained: boolean;
  readonly startupMs: Record<string, number>;
  /** Server-side counts per finished order over the window and its drain (idle share left in). */
  readonly perOrder: Record<string, number>;
}

export interface AbResult {
  readonly rate: number;
  readonly seconds: number;
  readonly repeats: number;
  readonly levers: readonly Lever[];
  readonly configurations: readonly Configuration[];
  readonly runs: readonly AbRun[];
  readonly summary: readonly AbSummary[];
}

export interface AbOptions {
  readonly levers: readonly Lever[];
  readonly repeats: number;
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly drainTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** Rough wall-clock of an A/B: restarts, warm-up, window and drain per configuration and repeat. */
export function abMinutes(options: AbOptions): number {
  const perWindow = options.seconds + options.warmupSeconds + 30;
  return (configurations(options.levers).length * options.repeats * perWindow) / 60;
}

/**
 * Runs every configuration once per repeat, interleaved (each repeat starts one configuration
 * further on, so none always runs first or last), each with the four services restarted on its
 * environment and the saga drained before the next. Ratios come from the same repeat only.
 */
export async function runAb(
  bench: BenchStack,
  kafka: Kafka,
  options: AbOptions,
): Promise<AbResult> {
  const configs = configurations(options.levers);
  const runs: AbRun[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const order = configs.map((_, i) => configs[(i + repeat) % configs.length]!);
    for (const configuration of order) {
      options.log(`A/B repeat ${repeat + 1}/${options.repeats}: ${configuration.name}`);
      const session = await startWithRetries(
        () =>
          startSession(bench, kafka, {
            drainTimeoutMs: options.drainTimeoutMs,
            log: () => undefined,
            envOf: (service) => envOf(options.levers, configuration, service),
          }),
        options.log,
      );
      try {
        await runStep(session.ctx, Math.min(options.rate, 20), options.warmupSeconds);
        await drained(kafka, options.drainTimeoutMs);
        const before = await readServerCounters(session.ctx.counters);
        const step = await runStep(session.ctx, options.rate, options.seconds);
        await drained(kafka, options.drainTimeoutMs);
        await new Promise((r) => setTimeout(r, STATS_SETTLE_MS));
        const counted = withTotals(
          counterDelta(before, await readServerCounters(session.ctx.counters)),
        );
        const run = abRunOf(configuration.name, repeat, step, session.system.startupMs, counted);
        options.log(
          `  ${configuration.name}: ${run.systemMsPerOrder.toFixed(1)} ms CPU/order (system), p99 ${Math.round(run.p99Ms)} ms, ${run.sustained ? 'sustained' : 'NOT sustained'}`,
        );
        runs.push(run);
      } finally {
        await session.stop();
      }
    }
  }
  return {
    rate: options.rate,
    seconds: options.seconds,
    repeats: options.repeats,
    levers: options.levers,
    configurations: configs,
    runs,
    summary: summarize(configs, runs),
  };
}

export function abRunOf(
  configuration: string,
  repeat: number,
  step: StepResult,
  startupMs: Record<string, number>,
  counted: Record<string, number>,
): AbRun {
  const perOrder = (percentOfCore: number) => (percentOfCore * 10) / step.terminalPerSecond;
  const cpuMsPerOrder = Object.fromEntries(
    Object.entries(step.processes).map(([name, u]) => [name, perOrder(u.cpuPercent)]),
  );
  return {
    configuration,
    repeat,
    cpuMsPerOrder,
    systemMsPerOrder: Object.values(cpuMsPerOrder).reduce((a, b) => a + b, 0),
    machineMsPerOrder: perOrder(step.machineCpuPercent * CORES - step.loadGenerator.cpuPercent),
    loadGeneratorMsPerOrder: perOrder(step.loadGenerator.cpuPercent),
    terminalPerSecond: step.terminalPerSecond,
    p50Ms: step.latencyMs.p50,
    p99Ms: step.latencyMs.p99,
    sustained: step.sustainable,
    startupMs,
    perOrder: Object.fromEntries(
      PER_ORDER_COUNTERS.map((k) => [k, (counted[k] ?? 0) / Math.max(1, step.terminal)]),
    ),
  };
}

/** Backends publish their statistics at most once a second while busy: let them land. */
const STATS_SETTLE_MS = 1_500;

/**
 * An A/B restarts the services dozens of times over an hour; one start that fails (a build
 * rewriting dist/ under it, a port not yet released) is tried again rather than losing the run.
 */
async function startWithRetries<T>(
  start: () => Promise<T>,
  log: (line: string) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt === 3) throw err;
      log(`  start-up failed (${(err as Error).message}); trying again in 5 s`);
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
}

/** Every consumer group has caught up: nothing of this configuration leaks into the next. */
async function drained(kafka: Kafka, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await sagaLag(kafka)) > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 500));
}
