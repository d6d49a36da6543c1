import { SERVICE_NAMES } from '@shop/contracts';
import { ProcessSampler, machineCpu, CORES, type ProcessUsage } from './process-stats';
import { counterDelta, readServerCounters, type CounterSources } from './server-counters';
import { runStep, type StepContext, type StepResult } from './step';
import { sagaLag } from './counters';

/** The system with no orders at all: what it costs to be up. */
export interface IdleWindow {
  readonly seconds: number;
  /** Cores in use per process group (1 = one core busy all the time). */
  readonly cores: Record<string, number>;
  /** The services, brokers and PostgreSQL together. */
  readonly systemCores: number;
  /** /proc/stat less the benchmark's own process: other work on the machine shows up here. */
  readonly machineCores: number;
  readonly loadGeneratorCores: number;
  readonly rssMb: Record<string, number>;
  /** Counters per second (statements, transactions, WAL, Kafka requests by API). */
  readonly perSecond: Record<string, number>;
}

/** A fixed low rate of happy orders, counted per finished order. */
export interface LowRateWindow {
  readonly step: StepResult;
  /** Seconds between the two counter readings: the load, its drain and a settle. */
  readonly countedSeconds: number;
  /** Counters per order, the idle system's share over the same time taken out. */
  readonly perOrder: Record<string, number>;
  /** The same counters per order, the idle share left in. */
  readonly perOrderGross: Record<string, number>;
  /** CPU ms per order by process: gross, and above idle. */
  readonly cpuMsPerOrder: Record<string, { gross: number; aboveIdle: number }>;
}

export interface WindowContext extends StepContext {
  readonly counters: CounterSources;
}

/** Backends publish their statistics at most once a second while busy: let them land. */
const STATS_SETTLE_MS = 1_500;

async function quiet(ctx: StepContext): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await sagaLag(ctx.kafka)) > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 500));
  await new Promise((r) => setTimeout(r, STATS_SETTLE_MS));
}

export async function idleWindow(ctx: WindowContext, seconds: number): Promise<IdleWindow> {
  await quiet(ctx);
  const before = await readServerCounters(ctx.counters);
  const began = performance.now();
  const sampler = new ProcessSampler(ctx.pids);
  const cpu = machineCpu();
  sampler.start();
  await new Promise((r) => setTimeout(r, seconds * 1_000));
  const { processes, loadGenerator } = sampler.stop();
  const machinePercent = cpu();
  await new Promise((r) => setTimeout(r, STATS_SETTLE_MS));
  const after = await readServerCounters(ctx.counters);
  const elapsed = (performance.now() - began) / 1_000;
  const delta = counterDelta(before, after);
  const cores = mapValues(processes, (u) => u.cpuPercent / 100);
  return {
    seconds,
    cores,
    systemCores: sum(Object.values(cores)),
    machineCores: (machinePercent / 100) * CORES - loadGenerator.cpuPercent / 100,
    loadGeneratorCores: loadGenerator.cpuPercent / 100,
    rssMb: mapValues(processes, (u) => u.rssMaxMb),
    perSecond: mapValues(withTotals(delta), (v) => v / elapsed),
  };
}

export async function lowRateWindow(
  ctx: WindowContext,
  rate: number,
  seconds: number,
  idle: IdleWindow,
): Promise<LowRateWindow> {
  await quiet(ctx);
  const before = await readServerCounters(ctx.counters);
  const began = performance.now();
  const step = await runStep(ctx, rate, seconds, true);
  await quiet(ctx);
  const after = await readServerCounters(ctx.counters);
  const countedSeconds = (performance.now() - began) / 1_000;
  const orders = Math.max(1, step.terminal);
  const gross = withTotals(counterDelta(before, after));
  const perOrderGross = mapValues(gross, (v) => v / orders);
  const perOrder = mapValues(
    gross,
    (v, k) => (v - (idle.perSecond[k] ?? 0) * countedSeconds) / orders,
  );
  const cpuMsPerOrder = mapValues(step.processes, (u: ProcessUsage, name) => {
    const msPerSecond = u.cpuPercent * 10;
    const idleMsPerSecond = (idle.cores[name] ?? 0) * 1_000;
    return {
      gross: msPerSecond / step.terminalPerSecond,
      aboveIdle: (msPerSecond - idleMsPerSecond) / step.terminalPerSecond,
    };
  });
  return { step, countedSeconds, perOrder, perOrderGross, cpuMsPerOrder };
}

/** Adds `statements`, `transactions` and `kafka.<api>` summed over the four services. */
export function withTotals(delta: Record<string, number>): Record<string, number> {
  const out = { ...delta };
  for (const [key, value] of Object.entries(delta)) {
    const service = SERVICE_NAMES.find((s) => key.endsWith(`.${s}`));
    if (!service) continue;
    const total = key.slice(0, -service.length - 1);
    out[total] = (out[total] ?? 0) + value;
  }
  return out;
}

function mapValues<T, U>(
  record: Record<string, T>,
  f: (value: T, key: string) => U,
): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v, k)]));
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
