import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, eventually, testStack } from '@shop/testkit';

const ROOT = path.resolve(__dirname, '../..');

function launch(service: string, env: Record<string, string>) {
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
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
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
    const run = launch('inventory-service', {
      HTTP_PORT: '0',
      KAFKA_BROKERS: testStack().endpoints().bootstrapServers.join(','),
      DATABASE_URL: db.url,
      ADMIN_TOKEN: 'lifecycle-admin-token-123',
      LOG_LEVEL: 'info',
    });
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
});
