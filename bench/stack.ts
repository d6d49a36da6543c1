import path from 'node:path';
import { Client } from 'pg';
import { Stack, loadStackConfig, type StackConfig, type UpResult } from '@shop/devstack';

const ROOT = path.resolve(__dirname, '..');

/** The role the benchmark polls and counts with: its own statements are not the system's. */
const OBSERVER = { user: 'bench_observer', password: 'bench-observer-not-a-secret' };

/**
 * The benchmark's own stack: its own ports and state folder, so a run never shares consumer
 * groups or databases with a developer's `npm start`, and every run starts from an empty
 * cluster and empty databases.
 * BENCH_KAFKA_PORT_BASE / BENCH_PG_PORT move it; ports stay below the ephemeral range.
 */
export function benchStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  return loadStackConfig({
    ...env,
    KAFKA_SECURE: 'false',
    KAFKA_PORT_BASE: env.BENCH_KAFKA_PORT_BASE ?? '20092',
    PG_PORT: env.BENCH_PG_PORT ?? '20432',
    DEVSTACK_DIR: env.BENCH_DEVSTACK_DIR ?? path.join(ROOT, '.devstack-bench'),
  });
}

export interface BenchStack {
  readonly stack: Stack;
  readonly endpoints: UpResult;
  /** `databaseUrl` as the benchmark's observer role (a superuser of this throwaway server). */
  observerUrl(databaseUrl: string): string;
  /** The server's `postgres` database as the observer: where pg_stat_statements is read. */
  readonly observerAdminUrl: string;
  release(): Promise<void>;
}

/**
 * A fresh stack for every run (wiped, then started), stopped again by `release`. PostgreSQL is
 * restarted once with pg_stat_statements loaded, so the statements an order costs are counted by
 * the server itself, whatever client sent them.
 */
export async function benchStack(log: (line: string) => void): Promise<BenchStack> {
  const stack = new Stack(benchStackConfig(), (line) => log(`[stack] ${line}`));
  await stack.reset();
  const first = await stack.up();
  const anyUrl = Object.values(first.databaseUrls)[0]!;
  await asAdmin(anyUrl, async (admin) => {
    await admin.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
    await admin.query(`ALTER SYSTEM SET pg_stat_statements.max = 10000`);
    await admin.query(
      `CREATE ROLE ${OBSERVER.user} LOGIN SUPERUSER PASSWORD '${OBSERVER.password}'`,
    );
  });
  await stack.down(['postgres']);
  const endpoints = await stack.up();
  await asAdmin(anyUrl, (admin) => admin.query('CREATE EXTENSION pg_stat_statements'));
  const observerUrl = (databaseUrl: string) => {
    const url = new URL(databaseUrl);
    url.username = OBSERVER.user;
    url.password = OBSERVER.password;
    return url.toString();
  };
  return {
    stack,
    endpoints,
    observerUrl,
    observerAdminUrl: observerUrl(adminDatabaseOf(anyUrl)),
    release: () => stack.down().then(() => undefined),
  };
}

const adminDatabaseOf = (databaseUrl: string) => databaseUrl.replace(/\/[^/]+$/, '/postgres');

async function asAdmin(databaseUrl: string, work: (admin: Client) => Promise<unknown>) {
  const admin = new Client({ connectionString: adminDatabaseOf(databaseUrl) });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
