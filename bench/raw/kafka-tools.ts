import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StackConfig } from '@shop/devstack';

const run = promisify(execFile);

export interface ToolRate {
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  /** ProducerPerformance only: send latency percentiles in ms. */
  readonly latencyMs?: { readonly p50: number; readonly p99: number };
}

/** Kafka's own tools from the stack's Maven jars, so "raw" means the JVM client, not ours. */
function kafkaTool(config: StackConfig, mainClass: string, args: string[]): Promise<string> {
  return run(
    config.kafka.javaBin,
    [
      '-Xmx512m',
      '-Dlog4j2.level=error',
      '-cp',
      `${config.kafka.libDir}/*`,
      `org.apache.kafka.tools.${mainClass}`,
      ...args,
    ],
    { maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 },
  ).then((r) => r.stdout);
}

/** acks=all, idempotent, at the system's record size: the ceiling for any client on this machine. */
export async function producerPerformance(
  config: StackConfig,
  topic: string,
  records: number,
  recordSize: number,
): Promise<ToolRate> {
  const brokers = config.kafka.nodes.map((n) => `127.0.0.1:${n.brokerPort}`).join(',');
  const out = await kafkaTool(config, 'ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--command-property',
    `bootstrap.servers=${brokers}`,
    'acks=all',
    'enable.idempotence=true',
    'compression.type=snappy',
    // Batches as big as kafkajs's 500-record sends: with the default 16 KiB the JVM client is
    // bound by the round trip of a loaded two-core machine, which is not the cluster's limit.
    'batch.size=262144',
    'linger.ms=5',
  ]);
  // "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, ..."
  const last = out.trim().split('\n').pop() ?? '';
  const m =
    /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\).*?(\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/.exec(
      last,
    );
  if (!m) throw new Error(`unexpected ProducerPerformance output: ${last}`);
  return {
    records,
    recordsPerSecond: Number(m[1]),
    mbPerSecond: Number(m[2]),
    latencyMs: { p50: Number(m[3]), p99: Number(m[4]) },
  };
}

export async function consumerPerformance(
  config: StackConfig,
  topic: string,
  records: number,
): Promise<ToolRate> {
  const brokers = config.kafka.nodes.map((n) => `127.0.0.1:${n.brokerPort}`).join(',');
  const out = await kafkaTool(config, 'ConsumerPerformance', [
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--messages',
    String(records),
    '--hide-header',
  ]);
  // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const fields =
    out
      .trim()
      .split('\n')
      .pop()
      ?.split(',')
      .map((f) => f.trim()) ?? [];
  const fetchMb = Number(fields[8]);
  const fetchRate = Number(fields[9]);
  if (!Number.isFinite(fetchRate)) throw new Error(`unexpected ConsumerPerformance output: ${out}`);
  // The fetch figures leave out the group join, which is not what a consumer's throughput is.
  return { records: Number(fields[4]), recordsPerSecond: fetchRate, mbPerSecond: fetchMb };
}
