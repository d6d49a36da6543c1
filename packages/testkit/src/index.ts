import crypto from 'node:crypto';
import net from 'node:net';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Stack, createTopicsAndWait, loadStackConfig, type StackConfig } from '@shop/devstack';

let config: StackConfig | undefined;

/** The stack the global setup brought up, read from the same settings. */
export function testStack(): Stack {
  config ??= loadStackConfig();
  return new Stack(config);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}

export function testKafka(clientId = uniqueName('test')): Kafka {
  return new Kafka({
    clientId,
    brokers: testStack().endpoints().bootstrapServers,
    logLevel: logLevel.NOTHING,
  });
}

export { Partitioners };

/** A throwaway topic with the stack's replication, created explicitly (auto-creation is off). */
export async function createTestTopic(
  options: { prefix?: string; partitions?: number } = {},
): Promise<string> {
  const topic = uniqueName(options.prefix ?? 'test');
  await createTopicsAndWait(testStack().config, [
    { topic, numPartitions: options.partitions ?? 3 },
  ]);
  return topic;
}

/** An admin client for one piece of work (the stack's own helper). */
export { withKafkaAdmin as withAdmin } from '@shop/devstack';

/** A port nothing listens on right now, for a server a test starts itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns true or the time is up. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh database on the stack's PostgreSQL; `drop()` removes it. */
export async function createTestDatabase(
  prefix = 'test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const { Client } = await import('pg');
  const stack = testStack();
  const adminUrl = stack.endpoints().databaseUrls['order-service'];
  const name = uniqueName(prefix).replace(/-/g, '_');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  return {
    url,
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A pino destination that keeps every JSON line, for asserting on logs. */
export class LogCapture {
  readonly lines: Array<Record<string, unknown>> = [];
  write(line: string): void {
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  withMsg(msg: string): Array<Record<string, unknown>> {
    return this.lines.filter((l) => l.msg === msg);
  }
}
export { metricValue, processesMentioning, runScript } from './processes';
export type { ScriptRun } from './processes';
