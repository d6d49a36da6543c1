import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processesMentioning, runScript } from '@shop/testkit';

const CLI = path.resolve(__dirname, '../src/cli.ts');

const cli = (args: string[], env: Record<string, string>) => runScript(CLI, args, env);

describe('the stack CLI on a private single-node stack', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devstack-cli-'));
  fs.chmodSync(stateDir, 0o755);
  const env = {
    DEVSTACK_DIR: stateDir,
    KAFKA_NODES: '1',
    KAFKA_PORT_BASE: '29092',
    PG_PORT: '25432',
  };

  afterAll(async () => {
    await cli(['down'], env);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('brings the stack up, is harmless when run twice, and down leaves no process behind', async () => {
    const first = await cli(['up'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/stack up in [\d.]+s \(started kafka-1, postgres\)/);
    expect(first.stdout).toContain('KAFKA_BROKERS=127.0.0.1:29092');
    expect(first.stdout).toContain(
      'ORDER_SERVICE_DATABASE_URL=postgres://shop:shop@127.0.0.1:25432/order_service',
    );

    const second = await cli(['up'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('stack already up');

    const status = await cli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/kafka-1\s+running/);
    expect(status.stdout).toMatch(/postgres\s+running/);
    expect(status.stdout).toContain('all partitions fully replicated');
    expect(processesMentioning(stateDir).length).toBeGreaterThan(0);

    const down = await cli(['down'], env);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('stopped kafka-1, postgres');
    expect(processesMentioning(stateDir)).toEqual([]);

    const after = await cli(['status'], env);
    expect(after.code).toBe(3);
    expect(after.stdout).toMatch(/kafka-1\s+stopped/);
  });

  it('names a taken port in one line instead of a stack trace', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(29092, '127.0.0.1', r));
    try {
      const run = await cli(['up'], env);
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        'devstack: port 29092 (kafka-1 broker) is already in use by another process: stop it, or move the stack with KAFKA_PORT_BASE / PG_PORT',
      );
      expect(processesMentioning(stateDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('says how to get Java when it is missing', async () => {
    const run = await cli(['up'], { ...env, JAVA_HOME: '/nonexistent-jdk' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('Java 17+ is needed for Kafka');
  });

  it('rejects a bad setting with one clear line', async () => {
    const run = await cli(['status'], { ...env, KAFKA_NODES: '2' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'devstack: invalid stack setting KAFKA_NODES: KAFKA_NODES must be 1 or 3',
    );
  });

  it('reset deletes the state folder', async () => {
    const run = await cli(['reset'], env);
    expect(run.code).toBe(0);
    expect(fs.existsSync(stateDir)).toBe(false);
    fs.mkdirSync(stateDir, { mode: 0o755 });
  });
});
