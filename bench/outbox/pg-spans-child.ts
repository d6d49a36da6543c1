/**
 * One process of the pg-spans measurement: tracing as a service starts it, then queries inside a
 * parent span (a consumed record's), and the CPU per query. Prints one JSON line.
 */
import { tracing } from './pg-spans-tracing';
import { trace } from '@opentelemetry/api';
import { Client } from 'pg';

const QUERIES = Number(process.env.QUERIES ?? 20_000);
/** Queries under one parent span, about one saga step's. */
const PER_PARENT = 6;

async function main(): Promise<void> {
  const tracer = trace.getTracer('bench');
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const instrumented = '__wrapped' in client.query;
  const run = async (n: number) => {
    for (let i = 0; i < n; i += PER_PARENT) {
      await tracer.startActiveSpan('record process', async (span) => {
        for (let q = 0; q < PER_PARENT; q++) await client.query('SELECT $1::int AS n', [q]);
        span.end();
      });
    }
  };
  await run(2_000);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(QUERIES);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  await client.end();
  await tracing.shutdown();
  process.stdout.write(
    `${JSON.stringify({ instrumented, cpuUsPerQuery: (cpu.user + cpu.system) / QUERIES, queriesPerSecond: QUERIES / seconds })}\n`,
  );
}

void main();
