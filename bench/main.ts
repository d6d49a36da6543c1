/**
 * `npm run bench [-- --rates 50,100,200,400 --seconds 60 --quick]`: the raw limits of this
 * machine (Kafka's JVM tools, kafkajs, PostgreSQL), the messaging kit against them, and the
 * whole saga on a stack of its own: idle, a low rate counted per order, open-loop steps up to
 * the highest sustained rate, and the system at 2,000 orders/s on paper.
 * `--ab` adds the lever A/B (bench/ab/levers.ts): `--repeats 3 --ab-seconds 30 --ab-rate 30`,
 * `--levers a,b` for some. It reports; it never fails on a number.
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
import { runStep } from './saga/step';
import { startSession } from './saga/session';
import { idleWindow, lowRateWindow } from './saga/windows';
import { abMinutes, runAb } from './ab/run';
import { selectLevers } from './ab/levers';
import { scalePlan } from './scale';
import { scaleSource, targetsOf } from './targets';
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
    'idle-seconds': { type: 'string', default: '30' },
    'low-rate': { type: 'string', default: '20' },
    'low-rate-seconds': { type: 'string', default: '30' },
    records: { type: 'string', default: '50000' },
    'search-steps': { type: 'string', default: '2' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'skip-raw': { type: 'boolean', default: false },
    'skip-saga': { type: 'boolean', default: false },
    ab: { type: 'boolean', default: false },
    levers: { type: 'string' },
    repeats: { type: 'string', default: '3' },
    'ab-rate': { type: 'string', default: '30' },
    'ab-seconds': { type: 'string', default: '30' },
    'ab-warmup': { type: 'string', default: '5' },
    out: { type: 'string', default: path.join(__dirname, 'results') },
  },
});
// --quick: a smoke run that exercises every part in about two minutes; its figures mean little.
const quick = values.quick;
const rates = quick ? [20] : values.rates.split(',').map(Number);
const seconds = quick ? 5 : Number(values.seconds);
const warmupSeconds = quick ? 3 : Number(values.warmup);
const idleSeconds = quick ? 3 : Number(values['idle-seconds']);
const lowRate = Number(values['low-rate']);
const lowRateSeconds = quick ? 5 : Number(values['low-rate-seconds']);
const records = quick ? 2_000 : Number(values.records);
const searchSteps = quick ? 0 : Number(values['search-steps']);

type MutableResult = { -readonly [K in keyof BenchResult]: BenchResult[K] };

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

async function measureSaga(bench: BenchStack, kafka: Kafka, result: MutableResult): Promise<void> {
  log('starting the four services (compiled, one after another)');
  const profileDir = values.profile
    ? path.join(bench.stack.config.stateDir, 'profiles')
    : undefined;
  const session = await startSession(bench, kafka, {
    drainTimeoutMs: quick ? 60_000 : 180_000,
    log,
    profileDir,
  });
  try {
    if (profileDir) log(`CPU profiles of the services go to ${profileDir}`);
    const { ctx } = session;
    result.startupMs = session.system.startupMs;
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
    log(`idle: 0 orders/s for ${idleSeconds} s`);
    result.idle = await idleWindow(ctx, idleSeconds);
    log(`low rate: ${lowRate} happy orders/s for ${lowRateSeconds} s, counted per order`);
    result.lowRate = await lowRateWindow(ctx, lowRate, lowRateSeconds, result.idle);
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
    result.maxSustainable = low;
  } finally {
    await session.stop();
  }
}

async function main(): Promise<void> {
  const result: MutableResult = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    settings: {
      rates,
      secondsPerStep: seconds,
      warmupSeconds,
      idleSeconds,
      lowRate,
      lowRateSeconds,
    },
    steps: [],
    targets: [],
  };
  const abOptions = {
    levers: selectLevers(values.levers),
    repeats: quick ? 1 : Number(values.repeats),
    rate: Number(values['ab-rate']),
    seconds: quick ? 5 : Number(values['ab-seconds']),
    warmupSeconds: quick ? 2 : Number(values['ab-warmup']),
    drainTimeoutMs: 120_000,
    log,
  };
  if (values.ab) log(`the A/B will take about ${Math.round(abMinutes(abOptions))} minutes`);
  log('bringing up the benchmark stack (its own ports and state)');
  const bench = await benchStack(log);
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: bench.endpoints.bootstrapServers,
    logLevel: logLevel.NOTHING,
  });
  try {
    if (!values['skip-raw']) result.raw = await measureRaw(bench, kafka);
    if (!values['skip-saga']) await measureSaga(bench, kafka, result);
    if (values.ab) result.ab = await runAb(bench, kafka, abOptions);
  } finally {
    await bench.release();
  }
  const source = scaleSource(result);
  if (source) result.scale = scalePlan(source.cpuMsPerOrder, source.name);
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
