/**
 * One client, one task, in a process of its own: its CPU (process.cpuUsage counts every thread,
 * librdkafka's included) is then the client's alone, and each client runs on the Node.js it
 * needs. The parent passes the request as JSON in argv and gets `started`/`finished` over IPC,
 * so it can read the brokers' CPU over the same window.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { orderCreatedRecord, secondsSince } from '../records';
import { confluentClient } from './confluent';
import { kafkajsClient } from './kafkajs';
import { platformaticClient } from './platformatic';
import type {
  ClientName,
  ClientUnderTest,
  KafkaRecord,
  Window,
  WorkerMessage,
  WorkerRequest,
} from './workload';

/** A group's first join waits out the brokers' initial rebalance delay (3 s) and then some. */
const JOIN_SETTLE_MS = 8_000;

const clients: Record<ClientName, (brokers: string[]) => ClientUnderTest> = {
  kafkajs: kafkajsClient,
  confluent: confluentClient,
  platformatic: platformaticClient,
};

function measuredWindow(records: number): Window & { readonly done: Promise<void> } {
  let cpu: NodeJS.CpuUsage | undefined;
  let since: bigint | undefined;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const tell = (message: WorkerMessage) => process.send!(message);
  return {
    done,
    started() {
      since = process.hrtime.bigint();
      cpu = process.cpuUsage();
      tell({ kind: 'started' });
    },
    finished() {
      const used = process.cpuUsage(cpu);
      const seconds = secondsSince(since!);
      tell({
        kind: 'finished',
        result: { records, seconds, cpuMs: (used.user + used.system) / 1000 },
      });
      resolve();
    },
  };
}

async function produce(client: ClientUnderTest, topic: string, count: number, perSend: number) {
  // Made before the window: the record's JSON is the saga's cost, not the client's.
  const records: KafkaRecord[] = Array.from({ length: count + 1 }, orderCreatedRecord);
  const window = measuredWindow(count);
  const producer = await client.producer(topic, perSend);
  // One record first, outside the window: connections and the topic's metadata are set-up.
  await producer.send(records.slice(0, 1));
  window.started();
  for (let i = 1; i < records.length; i += perSend)
    await producer.send(records.slice(i, i + perSend));
  window.finished();
  await producer.close();
}

/**
 * What a client costs with nothing to do (the idle target): a producer that has sent
 * once and a consumer group that has read its one record, measured after the join settles.
 */
async function idle(client: ClientUnderTest, topic: string, groupId: string, seconds: number) {
  const producer = await client.producer(topic, 1);
  await producer.send([orderCreatedRecord()]);
  const unmeasured: Window = { started() {}, finished() {} };
  void client.consume(topic, groupId, Number.MAX_SAFE_INTEGER, unmeasured);
  await delay(JOIN_SETTLE_MS);
  const window = measuredWindow(0);
  window.started();
  await delay(seconds * 1000);
  window.finished();
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]!) as WorkerRequest;
  const client = clients[request.client](request.brokers);
  const { task } = request;
  if (task.kind === 'produce') {
    await produce(client, task.topic, task.records, task.perSend);
  } else if (task.kind === 'idle') {
    await idle(client, task.topic, task.groupId, task.seconds);
  } else {
    const window = measuredWindow(task.records);
    await client.consume(task.topic, task.groupId, task.records, window);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
