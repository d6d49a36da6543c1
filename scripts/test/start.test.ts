import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_HTTP_PORTS, SERVICE_NAMES } from '@shop/contracts';
import { eventually, processesMentioning } from '@shop/testkit';

const ROOT = path.resolve(__dirname, '../..');

describe('npm start', () => {
  it('brings the stack and every service up with one command and stops everything on Ctrl-C', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
    fs.chmodSync(stateDir, 0o755);
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DEVSTACK_DIR: stateDir,
        KAFKA_NODES: '1',
        KAFKA_PORT_BASE: '26092',
        PG_PORT: '26432',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    // 'close' waits for every process holding our pipes, not only npm itself.
    const closed = new Promise<string>((resolve) =>
      child.on('close', (code, signal) => resolve(signal ?? String(code))),
    );

    try {
      const deadline = Date.now() + 240_000;
      while (!output.includes('press Ctrl-C to stop')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`npm start did not come up:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toContain('Kafka bootstrap servers: 127.0.0.1:26092');
      expect(fs.readdirSync(path.join(stateDir, 'kafka'))).toContain('node-1');
      // "running" is printed only once every service answers its readiness probe.
      for (const service of SERVICE_NAMES) {
        const url = `http://127.0.0.1:${LOCAL_HTTP_PORTS[service]}`;
        expect(output).toContain(`${service} ready: ${url}`);
        expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      }
      // The operations console beside them, behind its sign-in.
      expect(output).toContain('ops-console ready: http://127.0.0.1:3005');
      const signIn = await fetch('http://127.0.0.1:3005/dead-letters', { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      expect(signIn.headers.get('location')).toBe('/login?next=%2Fdead-letters');
      const products = (await (
        await fetch(`http://127.0.0.1:${LOCAL_HTTP_PORTS['inventory-service']}/products`)
      ).json()) as { items: unknown[] };
      expect(products.items.length).toBeGreaterThan(0);

      // The terminal reads as lines a person follows, not JSON; the request just made is in the
      // service's own log file, in JSON, and not in the terminal (no --verbose).
      expect(output).not.toMatch(/^\{/m);
      expect(output).toMatch(/INFO: inventory-service inventory-service listening/);
      const inventoryLog = path.join(stateDir, 'logs', 'inventory-service.log');
      await eventually(
        () => fs.readFileSync(inventoryLog, 'utf8').includes('"path":"/products"'),
        10_000,
        'the request in the log file',
      );
      expect(output).not.toContain('http request');

      // Ctrl-C in a terminal signals the whole foreground process group.
      process.kill(-child.pid!, 'SIGINT');
      expect(['0', 'SIGINT']).toContain(await closed);
      expect(output).toContain('stopped');
      expect(processesMentioning(stateDir)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-child.pid!, 'SIGKILL');
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 300_000);
});
