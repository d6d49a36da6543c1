import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PostgresServer } from '../../packages/devstack/src/postgres/server';
import { cpuSecondsOf, postgresProcesses } from '../saga/process-stats';

/**
 * A PostgreSQL server of its own for one measurement, on a port nobody else uses: its CPU is
 * ours alone (the shared stack's server also serves other tests), and its wal_level can change.
 */
export class PrivatePostgres {
  readonly port: number;
  private readonly server: PostgresServer;
  private readonly dir: string;

  constructor(port: number, databases: string[]) {
    this.port = port;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-bench-pg-'));
    fs.chmodSync(this.dir, 0o777);
    this.server = new PostgresServer({
      port,
      dir: this.dir,
      user: 'bench',
      password: 'bench',
      databases: Object.fromEntries(databases.map((d) => [d, d])) as never,
    });
  }

  url(database: string): string {
    return `postgres://bench:bench@127.0.0.1:${this.port}/${database}`;
  }

  async start(walLevel: 'replica' | 'logical'): Promise<void> {
    await this.server.prepare();
    fs.writeFileSync(
      path.join(this.dir, 'data', 'postgresql.auto.conf'),
      `wal_level = ${walLevel}\nmax_replication_slots = 4\nmax_wal_senders = 4\n`,
    );
    await this.server.start();
    await this.server.waitUntilAccepting(30_000);
    await this.server.ensureDatabases();
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
    await client.end();
    if (rows[0]?.wal_level !== walLevel) throw new Error(`wal_level is ${rows[0]?.wal_level}`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** CPU seconds the server and all its processes (backends, WAL writer, walsenders) have used. */
  cpuSeconds(): number {
    const postmaster = this.server.pid;
    return postmaster === undefined ? 0 : cpuSecondsOf(postgresProcesses(postmaster));
  }
}

/** CPU seconds this process has used. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
