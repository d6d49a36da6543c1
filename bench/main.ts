/**
 * `npm run bench [-- --rates 50,100,200,400 --seconds 60 --quick]`: the raw limits of this
 * machine (Kafka's JVM tools, kafkajs, PostgreSQL), the messaging kit against them, and the
 * whole saga under open-loop load, on a stack of its own. It reports; it never fails on a number.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { reconcile } from '@shop/reconciliation';
import { createLogger } from '@shop/observability';
import { messagingSettings } from '@shop/messaging';
import { createTopicsAndWait } from '@shop/devstack';
import { benchStack, type BenchStack } from './stack';
import { freshDatabase } from './database';
import { orderCreatedRecord } from './records';
import { consumerPerformance, producerPerformance } from './raw/kafka-tools';
import { rawConsume, rawProduce } from './raw/kafkajs';
import { rawSagaStepTransactions } from './raw/postgres';
import { kitConsume, kitProduce } from './kit';
import { startServices, type BenchSystem } from './saga/services';
import { createBenchProducts } from './saga/catalog';
import { runStep, type StepContext } from './saga/step';
import { postgresProcesses } from './saga/process-stats';
import {
  machine,
  markdownReport,
  svgChart,
  terminalReport,
  type BenchResult,
  type RawFigures,
} from './report';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '50,100,200,400' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    records: { type: 'string', default: '50000' },
    'search-steps': { type: 'string', default: '2' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'skip-raw': { type: 'boolean', default: false },
    'skip-saga': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(__dirname, 'results') },
  },
});
// --quick: a smoke run that exercises every part in about a minute; its figures mean little.
const quick = values.quick;
const rates = quick ? [20] : values.rates.split(',').map(Number);
const seconds = quick ? 5 : Number(values.seconds);
const warmupSeconds = quick ? 3 : Number(values.warmup);
const records = quick ? 2_000 : Number(values.records);
const searchSteps = quick ? 0 : Number(values['search-steps']);

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function measureRaw(bench: BenchStack, kafka: Kafka): Promise<RawFigures> {
  const { config } = bench.stack;
  const settings = messagingSettings({
    brokers: bench.endpoints.bootstrapServers,
    clientId: 'bench',
  });
  const recordSizeBytes = Buffer.byteLength(orderCreatedRecord().value);
  const topics = [
    'bench-java',
    'bench-kafkajs',
    'bench-kit',
    'bench-kit-dlq',
    ...[1, 2, 3].map((i) => `bench-retry-${i}`),
  ];
  await createTopicsAndWait(
    config,
    topics.map((topic) => ({ topic, numPartitions: 3 })),
  );

  log(`Kafka ProducerPerformance: ${records} records of ${recordSizeBytes} bytes`);
  const javaProduce = await producerPerformance(config, 'bench-java', records, recordSizeBytes);
  log(`Kafka ConsumerPerformance`);
  const javaConsume = await consumerPerformance(config, 'bench-java', records);
  log(`kafkajs produce / consume`);
  const kafkajsProduce = await rawProduce(kafka, 'bench-kafkajs', records);
  const kafkajsConsume = await rawConsume(kafka, 'bench-kafkajs', 'bench-kafkajs-group', records);
  log(`kit produce / consume (no-op handler)`);
  const kitProduced = await kitProduce(kafka, settings, 'bench-kit', records);
  const kitConsumed = await kitConsume({
    kafka,
    settings,
    databaseUrl: await freshDatabase(bench.endpoints.databaseUrls['order-service'], 'bench_kit'),
    topic: 'bench-kit',
    retryTopics: [1, 2, 3].map((i) => `bench-retry-${i}`),
    groupId: 'bench-kit-group',
    records,
    logger: createLogger('bench', 'warn'),
  });
  log(`PostgreSQL saga-step transactions`);
  const postgres = await rawSagaStepTransactions(
    await freshDatabase(bench.endpoints.databaseUrls['order-service'], 'bench_pg'),
    quick ? 1_000 : 20_000,
  );
  return {
    recordSizeBytes,
    javaProduce,
    javaConsume,
    kafkajsProduce,
    kitProduce: kitProduced,
    kafkajsConsume,
    kitConsume: kitConsumed,
    postgresSagaStep: { transactionsPerSecond: postgres.recordsPerSecond },
  };
}

async function measureSaga(bench: BenchStack, kafka: Kafka, result: BenchResult): Promise<void> {
  let system: BenchSystem | undefined;
  try {
    log('starting the four services');
    const stateDir = bench.stack.config.stateDir;
    const profileDir = values.profile ? path.join(stateDir, 'profiles') : undefined;
    system = await startServices(bench.endpoints, path.join(stateDir, 'logs'), profileDir);
    if (profileDir) log(`CPU profiles of the services go to ${profileDir}`);
    await createBenchProducts(system.url('inventory-service'));
    const status = await bench.stack.status();
    const services = system.services.map((s) => [s.service, [s.child.pid!]] as const);
    const pids = () =>
      new Map<string, readonly number[]>([
        ...services,
        ...status.components.flatMap((c) => {
          if (!c.pid) return [];
          return [[c.name, c.name === 'postgres' ? postgresProcesses(c.pid) : [c.pid]] as const];
        }),
      ]);
    const ctx: StepContext = {
      kafka,
      orderUrl: system.url('order-service'),
      databaseUrls: bench.endpoints.databaseUrls,
      pids,
      drainTimeoutMs: quick ? 60_000 : 180_000,
      log,
    };
    const databases = {
      order: bench.endpoints.databaseUrls['order-service'],
      inventory: bench.endpoints.databaseUrls['inventory-service'],
      payment: bench.endpoints.databaseUrls['payment-service'],
      notification: bench.endpoints.databaseUrls['notification-service'],
    };
    const step = async (rate: number, secs: number) => {
      log(`saga at ${rate} orders/s for ${secs} s`);
      const s = await runStep(ctx, rate, secs);
      const report = await reconcile(databases, kafka);
      for (const v of report.violations) log(`  violation [${v.check}] ${v.detail}`);
      const done = { ...s, violations: report.violations.length };
      log(
        `  ${rate}/s: ${s.terminalPerSecond.toFixed(1)} terminal/s, p50 ${s.latencyMs.p50.toFixed(0)} ms, p99 ${s.latencyMs.p99.toFixed(0)} ms, ${done.violations} violations${s.abandoned ? `, ${s.abandoned}` : ''}`,
      );
      return done;
    };

    log(`warm-up at 20 orders/s for ${warmupSeconds} s`);
    await runStep(ctx, 20, warmupSeconds);
    for (const rate of rates) result.steps.push(await step(rate, seconds));

    // Bisect between the highest sustained rate and the lowest one that was not.
    const ok = (s: { sustainable: boolean; violations: number }) =>
      s.sustainable && s.violations === 0;
    let low = Math.max(0, ...result.steps.filter(ok).map((s) => s.rate));
    let high = Math.min(...result.steps.filter((s) => !ok(s)).map((s) => s.rate));
    for (let i = 0; i < searchSteps && Number.isFinite(high) && high - low > 10; i++) {
      const rate = Math.round((low + high) / 2);
      const s = await step(rate, Math.min(seconds, 30));
      result.steps.push(s);
      if (ok(s)) low = rate;
      else high = rate;
    }
    result.steps.sort((a, b) => a.rate - b.rate);
    (result as { maxSustainable?: number }).maxSustainable = low;
  } finally {
    await system?.stop();
  }
}

function targetsOf(result: BenchResult): BenchResult['targets'] {
  const targets: BenchResult['targets'] = [];
  const at = (rate: number) => result.steps.find((s) => s.rate === rate);
  if (result.steps.length > 0) {
    targets.push({
      target: '>= 400 completed orders/s sustained',
      met: (result.maxSustainable ?? 0) >= 400,
      figure: `highest sustained rate ${result.maxSustainable ?? 0} orders/s`,
    });
    const s200 = at(200);
    if (s200) {
      targets.push({
        target: 'p99 created -> terminal <= 1 s at 200 orders/s',
        met: s200.latencyMs.p99 <= 1_000 && s200.sustainable,
        figure: `p99 ${Math.round(s200.latencyMs.p99)} ms${s200.sustainable ? '' : ' (not sustained)'}`,
      });
      const rss = Math.max(
        ...Object.entries(s200.processes)
          .filter(([name]) => name.endsWith('-service'))
          .map(([, u]) => u.rssMaxMb),
      );
      targets.push({
        target: '<= 200 MB RSS per service at 200 orders/s',
        met: rss <= 200,
        figure: `max ${Math.round(rss)} MB`,
      });
    }
  }
  if (result.raw) {
    const ratio =
      result.raw.kitConsume.recordsPerSecond / result.raw.kafkajsConsume.recordsPerSecond;
    targets.push({
      target: 'messaging kit >= 50 % of the raw client',
      met: ratio >= 0.5,
      figure: `${(ratio * 100).toFixed(1)} % (${Math.round(result.raw.kitConsume.recordsPerSecond)} vs ${Math.round(result.raw.kafkajsConsume.recordsPerSecond)} records/s)`,
    });
  }
  return targets;
}

async function main(): Promise<void> {
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    settings: { rates, secondsPerStep: seconds, warmupSeconds },
    steps: [],
    targets: [],
  };
  log('bringing up the benchmark stack (its own ports and state)');
  const bench = await benchStack(log);
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: bench.endpoints.bootstrapServers,
    logLevel: logLevel.NOTHING,
  });
  try {
    if (!values['skip-raw']) (result as { raw?: RawFigures }).raw = await measureRaw(bench, kafka);
    if (!values['skip-saga']) await measureSaga(bench, kafka, result);
  } finally {
    await bench.release();
  }
  result.targets.push(...targetsOf(result));
  fs.mkdirSync(values.out, { recursive: true });
  fs.writeFileSync(path.join(values.out, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(values.out, 'latest.md'), markdownReport(result));
  fs.writeFileSync(path.join(values.out, 'latest.svg'), svgChart(result.steps));
  console.log(
    `\n${terminalReport(result)}\n\nreport: ${path.relative(process.cwd(), values.out)}/latest.{json,md,svg}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
