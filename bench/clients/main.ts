/**
 * `npm run bench:clients [-- --records 30000 --single 1000 --trickled 500 --repeats 3]`:
 * kafkajs (the design's client) against @confluentinc/kafka-javascript (librdkafka) and
 * @platformatic/kafka, for the same records on a stack of their own: idempotent acks=all sends
 * one record at a time (the relay's pattern) and 500 at a time; a consumer group committing
 * after each batch, reading a full topic and at a trickle of at most 50 records/s (one awaited
 * send at a time, so a busy machine offers less); and each client idle. Each client runs in its
 * own process, rounds interleaved (A B C D, A B C D, ...), medians and per-round ratios
 * reported. It reports; it never fails on a number.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { format } from 'prettier';
import { Stack, createTopicsAndWait } from '@shop/devstack';
import { benchStackConfig } from '../stack';
import { orderCreatedRecord } from '../records';
import { CONFLUENT_SETTINGS } from './confluent';
import { NODE_22, prepareClients } from './install';
import { markdownTable, rowsOf, type Row, type TaskName } from './report';
import { TICK_MS, runWorker, ticksOf, type Runner, type Sample } from './run-worker';
import { trickle } from './trickle';
import type { Task } from './workload';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '30000' },
    single: { type: 'string', default: '1000' },
    trickled: { type: 'string', default: '500' },
    repeats: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(__dirname, 'results') },
  },
});
const records = Number(values.records);
const single = Number(values.single);
const repeats = Number(values.repeats);
const trickled = Number(values.trickled);
/** About what each service consumed at the saga's highest sustained rate (218 events/s, 4 services). */
const TRICKLE_PER_SECOND = 50;

interface TaskPlan {
  task(round: number, runner: Runner): Promise<Task>;
  /** Load the parent puts on while the worker runs; returns its stop. */
  alongside?(task: Extract<Task, { kind: 'consume' }>): () => Promise<void>;
}

const IDLE_SECONDS = 10;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Ports and state apart from `npm run bench`'s, so both can run on one machine. */
function clientsStack(): Stack {
  const env = process.env;
  const config = benchStackConfig({
    ...env,
    BENCH_KAFKA_PORT_BASE: env.BENCH_CLIENTS_KAFKA_PORT_BASE ?? '23092',
    BENCH_PG_PORT: env.BENCH_CLIENTS_PG_PORT ?? '23432',
    BENCH_DEVSTACK_DIR:
      env.BENCH_CLIENTS_DEVSTACK_DIR ?? path.resolve(__dirname, '..', '..', '.devstack-clients'),
  });
  return new Stack(config, (line) => log(`[stack] ${line}`));
}

function runnersOf(unavailable: { confluent?: string; node22?: string }): Runner[] {
  const runners: Runner[] = [
    { label: `kafkajs (Node ${process.versions.node})`, client: 'kafkajs', node: process.execPath },
  ];
  if (!unavailable.confluent) {
    runners.push({
      label: `confluent (Node ${process.versions.node})`,
      client: 'confluent',
      node: process.execPath,
    });
  }
  if (!unavailable.node22) {
    runners.push(
      { label: 'kafkajs (Node 22)', client: 'kafkajs', node: NODE_22 },
      { label: 'platformatic (Node 22)', client: 'platformatic', node: NODE_22 },
    );
  }
  return runners;
}

async function fill(kafka: Kafka, topic: string, count: number): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < count; i += 500) {
    const messages = Array.from({ length: Math.min(500, count - i) }, orderCreatedRecord);
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

async function main(): Promise<void> {
  const prepared = prepareClients(log);
  const unavailable = {
    confluent: prepared.confluentUnavailable,
    node22: prepared.node22Unavailable,
  };
  for (const [what, why] of Object.entries(unavailable)) {
    if (why) log(`${what} not measured: ${why}`);
  }
  const runners = runnersOf(unavailable);

  const stack = clientsStack();
  await stack.reset();
  const endpoints = await stack.up();
  const brokers = endpoints.bootstrapServers;
  const kafka = new Kafka({ clientId: 'bench-clients', brokers, logLevel: logLevel.NOTHING });
  const groupOf = (round: number, runner: Runner, what: string) =>
    `clients-${what}-${runner.client}-${runner.node === NODE_22 ? 22 : 'default'}-${round}`;
  const plans: Record<TaskName, TaskPlan> = {
    'single sends': {
      task: async () => ({ kind: 'produce', topic: 'clients-single', records: single, perSend: 1 }),
    },
    'batched sends': {
      task: async () => ({ kind: 'produce', topic: 'clients-batched', records, perSend: 500 }),
    },
    'consumer group': {
      task: async (round, runner) => ({
        kind: 'consume',
        topic: 'clients-consume',
        records,
        groupId: groupOf(round, runner, 'bulk'),
      }),
    },
    [`consumer group at ${TRICKLE_PER_SECOND} records/s`]: {
      // A topic per run: nothing left over from an earlier run arrives in one batch.
      task: async (round, runner) => {
        const groupId = groupOf(round, runner, 'trickle');
        await createTopicsAndWait(stack.config, [{ topic: groupId, numPartitions: 3 }]);
        return { kind: 'consume', topic: groupId, records: trickled, groupId };
      },
      alongside: (task) => trickle(kafka, task.topic, task.groupId, TRICKLE_PER_SECOND),
    },
    idle: {
      task: async (round, runner) => ({
        kind: 'idle',
        topic: 'clients-idle',
        groupId: groupOf(round, runner, 'idle'),
        seconds: IDLE_SECONDS,
      }),
    },
  };
  const rounds = new Map<TaskName, Map<string, Sample>[]>();
  let brokersIdleCpuMsPerSecond = 0;
  try {
    await createTopicsAndWait(
      stack.config,
      ['clients-single', 'clients-batched', 'clients-consume', 'clients-idle'].map((topic) => ({
        topic,
        numPartitions: 3,
      })),
    );
    log(`filling clients-consume with ${records} records`);
    await fill(kafka, 'clients-consume', records);
    const pids = (await stack.status()).components
      .filter((c) => c.name.startsWith('kafka-') && c.pid)
      .map((c) => c.pid!);
    // At a few dozen single sends a second the brokers' own background work (replica fetches,
    // timers) would outweigh the records: it is measured first and taken off every window.
    const idleTicks = ticksOf(pids);
    await delay(IDLE_SECONDS * 1000);
    const idleCpuMsPerSecond = ((ticksOf(pids) - idleTicks) * TICK_MS) / IDLE_SECONDS;
    log(`brokers idle: ${idleCpuMsPerSecond.toFixed(0)} CPU ms/s`);
    const brokerCpu = { pids, idleCpuMsPerSecond };
    brokersIdleCpuMsPerSecond = idleCpuMsPerSecond;

    for (let round = 1; round <= repeats; round++) {
      for (const [task, plan] of Object.entries(plans) as [TaskName, TaskPlan][]) {
        const samples = new Map<string, Sample>();
        for (const runner of runners) {
          const work = await plan.task(round, runner);
          const stop = work.kind === 'consume' ? plan.alongside?.(work) : undefined;
          const sample = await runWorker(
            runner,
            { brokers, task: work },
            brokerCpu,
            300_000,
          ).finally(() => stop?.());
          log(
            `round ${round} ${task} ${runner.label}: ${
              sample.records
                ? `${Math.round(sample.records / sample.seconds)} records/s, ${((sample.cpuMs / sample.records) * 1000).toFixed(1)} CPU ms / 1k`
                : `${(sample.cpuMs / sample.seconds).toFixed(1)} CPU ms/s`
            }`,
          );
          samples.set(runner.label, sample);
        }
        rounds.set(task, [...(rounds.get(task) ?? []), samples]);
      }
    }
  } finally {
    await stack.down();
  }

  const tables = [...rounds].map(([task, taskRounds]) => ({
    task,
    rows: rowsOf(runners, taskRounds),
  }));
  const result = {
    startedAt: new Date().toISOString(),
    settings: {
      records,
      single,
      trickled,
      trickledPerSecond: TRICKLE_PER_SECOND,
      repeats,
      confluent: CONFLUENT_SETTINGS,
    },
    brokersIdleCpuMsPerSecond,
    notMeasured: unavailable,
    tables,
  };
  const markdown = await format(markdownOf(tables, unavailable), { parser: 'markdown' });
  fs.mkdirSync(values.out, { recursive: true });
  fs.writeFileSync(path.join(values.out, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(values.out, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
}

function markdownOf(
  tables: readonly { task: TaskName; rows: Row[] }[],
  unavailable: Record<string, string | undefined>,
): string {
  const missing = Object.entries(unavailable)
    .filter(([, why]) => why)
    .map(([what, why]) => `- ${what} not measured: ${why}`);
  return [
    `# Kafka clients (${new Date().toISOString().slice(0, 10)}, ${records} records, ${single} single sends, ${trickled} trickled, ${repeats} interleaved rounds, medians)`,
    '',
    `Ratios compare each client with kafkajs on the same Node.js, round by round. Brokers' CPU is net of their idle CPU. Client CPU is the whole worker process (all threads). confluent: linger.ms ${CONFLUENT_SETTINGS.lingerMsSingle} for single sends, ${CONFLUENT_SETTINGS.lingerMsBatched} batched; js.consumer.max.batch.size ${CONFLUENT_SETTINGS.consumerMaxBatchSize}.`,
    '',
    ...missing,
    ...tables.flatMap(({ task, rows }) => ['', markdownTable(task, rows)]),
    '',
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
