import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { ServiceName } from '@shop/contracts';
import { serviceEnv } from '@shop/devstack';
import { createTestDatabase, eventually, freePort, testStack } from '@shop/testkit';

const ROOT = path.resolve(__dirname, '../..');

function launch(service: ServiceName, env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'services', service, 'src', 'main.ts')],
    {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  // 'close', not 'exit': the last log lines may still be in the pipe when the process exits.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, out, exited };
}

describe('a service process', () => {
  it('stops start-up with one clear line when its configuration is wrong', async () => {
    const run = launch('order-service', {
      HTTP_PORT: 'eighty',
      KAFKA_BROKERS: '127.0.0.1:1',
      DATABASE_URL: 'mysql://x',
    });
    expect(await run.exited).toBe(1);
    expect(run.out.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.out.stderr).toMatch(
      /^order-service: invalid configuration: HTTP_PORT: .+; DATABASE_URL: must be a postgres:\/\/ URL; INVENTORY_URL: /,
    );
  });

  it('shuts down gracefully on SIGTERM: stops HTTP, leaves the group, exits 0', async () => {
    const db = await createTestDatabase('lifecycle');
    const run = launch(
      'inventory-service',
      serviceEnv('inventory-service', {
        bootstrapServers: testStack().endpoints().bootstrapServers,
        databaseUrl: db.url,
        httpPort: 0,
        adminToken: 'lifecycle-admin-token-123',
        logLevel: 'info',
        // Well under the 20 s default: a stop that waits on anything slow (a trace flush to a
        // collector that is not there once took 9 s) exits 1 past this bound.
        env: { SHUTDOWN_TIMEOUT_MS: '5000' },
      }),
    );
    try {
      await eventually(
        () => run.out.stdout.includes('inventory-service listening'),
        60_000,
        'the service to listen',
      );
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const messages = run.out.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(messages).toContain('shutting down');
      expect(messages.at(-1)).toBe('stopped');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await db.drop();
    }
  });

  it('waits for an unreachable Kafka at start-up and becomes ready once it answers', async () => {
    // The service's only bootstrap address is a port nobody listens on yet; later it forwards to
    // a real broker (metadata then names the brokers' own addresses).
    const port = await freePort();
    const [broker] = testStack().endpoints().bootstrapServers;
    const [brokerHost, brokerPort] = broker!.split(':');
    const db = await createTestDatabase('lifecycle');
    const run = launch(
      'payment-service',
      serviceEnv('payment-service', {
        bootstrapServers: [`127.0.0.1:${port}`],
        databaseUrl: db.url,
        httpPort: 0,
        logLevel: 'info',
      }),
    );
    const forwarder = net.createServer((client) => {
      const upstream = net.connect(Number(brokerPort), brokerHost);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    try {
      await eventually(
        () => run.out.stdout.includes('Kafka not reachable yet'),
        90_000,
        'start-up to report that it waits for Kafka',
      );
      expect(run.child.exitCode).toBeNull();
      expect(run.out.stdout).not.toContain('payment-service listening');

      await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', resolve));
      await eventually(
        () => run.out.stdout.includes('payment-service listening'),
        90_000,
        'the service to start once Kafka answers',
      );
      const { port: httpPort } = run.out.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg: string; port?: number })
        .find((l) => l.msg === 'payment-service listening')!;
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).ok,
        60_000,
        'the service to be ready',
      );
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      forwarder.close();
      await db.drop();
    }
  });
});
