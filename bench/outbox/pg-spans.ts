/**
 * The CPU a span per PostgreSQL query costs a service process: the same queries under a parent
 * span with PgInstrumentation off, on with nothing exported, on with a 10 % parent-based sampler,
 * and on exporting over OTLP/HTTP to a receiver that drops everything. Interleaved processes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import http from 'node:http';
import path from 'node:path';
import { PrivatePostgres, median } from './postgres';
import { run } from './run';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CHILD = path.join(__dirname, 'pg-spans-child.ts');

async function main(): Promise<void> {
  const pg = new PrivatePostgres(Number(process.env.PG_PORT ?? 25435), ['spans']);
  await pg.start('replica');
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  const variants: Array<[string, Record<string, string>]> = [
    ['pg spans off', { OTEL_PG_SPANS: 'false' }],
    ['pg spans on, no exporter', { OTEL_PG_SPANS: 'true' }],
    [
      'pg spans on, no exporter, 10 % sampler',
      {
        OTEL_PG_SPANS: 'true',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
    ],
    [
      'pg spans off, OTLP exporter',
      { OTEL_PG_SPANS: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    ],
    [
      'pg spans on, OTLP exporter',
      { OTEL_PG_SPANS: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    ],
  ];
  const results = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, env] of variants) {
        const { stdout: out } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', CHILD],
          {
            env: { ...process.env, ...env, DATABASE_URL: pg.url('spans') },
            encoding: 'utf8',
          },
        );
        const { instrumented, cpuUsPerQuery, queriesPerSecond } = JSON.parse(
          out.trim().split('\n').pop()!,
        ) as {
          instrumented: boolean;
          cpuUsPerQuery: number;
          queriesPerSecond: number;
        };
        results.get(name)!.push(cpuUsPerQuery);
        console.log(
          `round ${round + 1} ${name}: ${cpuUsPerQuery.toFixed(1)} µs CPU/query, ${queriesPerSecond.toFixed(0)} queries/s, pg ${instrumented ? '' : 'not '}instrumented`,
        );
      }
    }
    console.log('\nmedian µs of Node CPU per query (one parent span per 6 queries):');
    for (const [name, values] of results) console.log(`  ${name}: ${median(values).toFixed(1)}`);
  } finally {
    receiver.close();
    await pg.stop();
    pg.remove();
  }
}

run(main);
