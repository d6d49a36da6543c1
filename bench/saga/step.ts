import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import type { ServiceName } from '@shop/contracts';
import { openLoop, percentile, type LoadResult } from './load';
import { ProcessSampler, machineCpu, type ProcessGroups, type ProcessUsage } from './process-stats';
import { sagaEventsSoFar, sagaLag, transactionsSoFar } from './counters';

export interface StepResult {
  readonly rate: number;
  readonly seconds: number;
  readonly accepted: number;
  readonly refused: number;
  readonly notSent: number;
  /** Accepted orders that reached COMPLETED or CANCELLED before the drain timeout. */
  readonly terminal: number;
  readonly completed: number;
  readonly cancelled: number;
  /** Terminal orders per second, from the first order sent to the last one finished. */
  readonly terminalPerSecond: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly httpLatencyMs: LoadResult['httpLatencyMs'];
  readonly kafkaEventsPerSecond: number;
  readonly dbTransactionsPerSecond: number;
  readonly lagAtEnd: number;
  /** Busy share of the whole machine from /proc/stat (100 = every core busy), load generator included. */
  readonly machineCpuPercent: number;
  /** The system's processes (services, brokers, PostgreSQL), each as % of one core. */
  readonly processes: Record<string, ProcessUsage>;
  /** The benchmark's own process (load generator, sampler), % of one core, kept out of the system. */
  readonly loadGenerator: ProcessUsage;
  /** Why the step was stopped before its time, if it was. */
  readonly abandoned?: string;
  readonly sustainable: boolean;
}

export interface StepContext {
  readonly kafka: Kafka;
  readonly orderUrl: string;
  /** The services' databases as the benchmark's own role, so its polling is not counted as theirs. */
  readonly databaseUrls: Readonly<Record<ServiceName, string>>;
  /** Processes to sample, listed at every sample (PostgreSQL starts a backend per connection). */
  readonly pids: ProcessGroups;
  readonly drainTimeoutMs: number;
  readonly log: (line: string) => void;
}

interface OrderTimes {
  status: string;
  latency_ms: number;
  finished_at: Date;
}

/**
 * One open-loop step at a fixed rate: load for `seconds`, then wait until every accepted order
 * is terminal, and read latencies from the order database (created_at -> the terminal update).
 */
export async function runStep(
  ctx: StepContext,
  rate: number,
  seconds: number,
  /** Every order succeeds (the per-order counts are of a happy order); otherwise the usual mix. */
  happyOnly = false,
): Promise<StepResult> {
  const orders = new Client({ connectionString: ctx.databaseUrls['order-service'] });
  await orders.connect();
  try {
    const eventsBefore = await sagaEventsSoFar(ctx.kafka);
    const transactionsBefore = await transactionsSoFar(ctx.databaseUrls);
    const sampler = new ProcessSampler(ctx.pids);
    const cpu = machineCpu();
    sampler.start();
    const windowStarted = Date.now();
    let abandoned: string | undefined;
    let checking = false;
    const load = await openLoop(
      ctx.orderUrl,
      rate,
      seconds,
      (sent, accepted) => {
        if (checking) return;
        checking = true;
        void terminalOf(orders, accepted)
          .then((done) => {
            const inFlight = accepted.length - done;
            ctx.log(
              `  ${rate}/s  ${Math.round((Date.now() - windowStarted) / 1000)} s  sent ${sent}  in flight ${inFlight}`,
            );
            // More than ten seconds of orders unfinished: the system is not keeping up.
            if (inFlight > Math.max(200, rate * 10))
              abandoned = `stopped early: ${inFlight} orders in flight after ${Math.round((Date.now() - windowStarted) / 1000)} s`;
          })
          .finally(() => (checking = false));
      },
      () => abandoned !== undefined,
      happyOnly,
    );
    const window = (Date.now() - windowStarted) / 1000;
    const { processes, loadGenerator } = sampler.stop();
    const machineCpuPercent = cpu();
    const lagAtEnd = await sagaLag(ctx.kafka);
    const eventsPerSecond = ((await sagaEventsSoFar(ctx.kafka)) - eventsBefore) / window;
    const transactionsPerSecond =
      ((await transactionsSoFar(ctx.databaseUrls)) - transactionsBefore) / window;

    const ids = load.accepted;
    const deadline = Date.now() + ctx.drainTimeoutMs;
    let terminal = 0;
    for (;;) {
      terminal = await terminalOf(orders, ids);
      ctx.log(`  ${rate}/s  draining: ${terminal}/${ids.length} terminal`);
      if (terminal === ids.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }

    const { rows } = await orders.query<OrderTimes>(
      `SELECT status, extract(epoch FROM updated_at - created_at) * 1000 AS latency_ms, updated_at AS finished_at
       FROM orders WHERE id = ANY($1::uuid[]) AND status IN ('COMPLETED','CANCELLED')`,
      [ids],
    );
    const latencies = rows.map((r) => Number(r.latency_ms)).sort((a, b) => a - b);
    const lastFinished = rows.reduce(
      (last, r) => Math.max(last, r.finished_at.getTime()),
      load.startedAt.getTime(),
    );
    const span = (lastFinished - load.startedAt.getTime()) / 1000;
    const terminalPerSecond = rows.length / Math.max(span, load.seconds);
    return {
      rate,
      seconds: window,
      accepted: ids.length,
      refused: load.refused,
      notSent: load.notSent,
      terminal,
      completed: rows.filter((r) => r.status === 'COMPLETED').length,
      cancelled: rows.filter((r) => r.status === 'CANCELLED').length,
      terminalPerSecond,
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1] ?? 0,
      },
      httpLatencyMs: load.httpLatencyMs,
      kafkaEventsPerSecond: eventsPerSecond,
      dbTransactionsPerSecond: transactionsPerSecond,
      lagAtEnd,
      machineCpuPercent,
      processes,
      loadGenerator,
      abandoned,
      // Sustained: everything offered was taken and finished at the offered pace, none stuck.
      sustainable:
        abandoned === undefined &&
        load.refused + load.notSent <= load.offered * 0.01 &&
        terminal === ids.length &&
        terminalPerSecond >= rate * 0.95,
    };
  } finally {
    await orders.end();
  }
}

async function terminalOf(orders: Client, ids: readonly string[]): Promise<number> {
  const { rows } = await orders.query<{ n: string }>(
    `SELECT count(*) AS n FROM orders WHERE id = ANY($1::uuid[]) AND status IN ('COMPLETED','CANCELLED')`,
    [ids],
  );
  return Number(rows[0]!.n);
}
