import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Stack, loadStackConfig } from '@shop/devstack';
import { eventually } from '@shop/testkit';
import { launchService, type ServiceProcess } from '../support/service-process';

const ADMIN_TOKEN = 'readiness-admin-token-0123';

/**
 * A stack of its own (one broker, its own PostgreSQL, on ports of its own): this suite stops its
 * Kafka and its database, which it must never do to the stack other suites share.
 */
function ownStack(): Stack {
  // Below Linux's ephemeral range (32768 up), where a client's outgoing connection can take the
  // port first, and clear of the other suites' fixed stacks (19092 to 29092).
  const base = 30_000 + crypto.randomInt(0, 26) * 100;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-stack-'));
  // PostgreSQL runs as its own user, which must be able to enter the state folder.
  fs.chmodSync(dir, 0o755);
  return new Stack(
    loadStackConfig({
      ...process.env,
      KAFKA_NODES: '1',
      KAFKA_PORT_BASE: String(base),
      PG_PORT: String(base + 50),
      DEVSTACK_DIR: dir,
    }),
  );
}

async function readiness(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('readiness follows the database only', () => {
  const stack = ownStack();
  const processes: ServiceProcess[] = [];
  let order: ServiceProcess;
  let starting: Promise<void> | undefined;

  async function startSystem(): Promise<void> {
    await stack.up();
    const { bootstrapServers, databaseUrls } = stack.endpoints();
    const inventory = await launchService('inventory-service', {
      bootstrapServers,
      databaseUrl: databaseUrls['inventory-service'],
      adminToken: ADMIN_TOKEN,
    });
    processes.push(inventory);
    const added = await fetch(`http://127.0.0.1:${inventory.port}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ id: 'READY-1', name: 'Ready', priceCents: 1_000, initialStock: 5 }),
    });
    expect(added.status).toBe(201);
    order = await launchService('order-service', {
      bootstrapServers,
      databaseUrl: databaseUrls['order-service'],
      inventoryPort: inventory.port,
    });
    processes.push(order);
  }

  beforeAll(() => (starting = startSystem()), 300_000);

  afterAll(async () => {
    // A start-up cut short by the hook's timeout goes on in the background: wait for it, so that
    // nothing it starts outlives the suite.
    await starting?.catch(() => undefined);
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await stack.down();
    fs.rmSync(stack.config.stateDir, { recursive: true, force: true });
  }, 120_000);

  it('stays ready and takes orders into the outbox while Kafka is away, and is not ready without PostgreSQL', async () => {
    await eventually(
      async () => (await readiness(order.port)).body.reported !== undefined,
      30_000,
      'order-service to report Kafka in its readiness body',
    );
    expect(await readiness(order.port)).toMatchObject({
      status: 200,
      body: { checks: { database: true }, reported: { kafka: true } },
    });

    await stack.down(['kafka-1']);
    // The probe caches the cluster's answer for up to 5 s; until it sees the outage, readiness
    // is expected to be 200 anyway, so every answer on the way must be 200.
    await eventually(
      async () => {
        const ready = await readiness(order.port);
        expect(ready.status).toBe(200);
        return (ready.body.reported as { kafka: boolean }).kafka === false;
      },
      30_000,
      'order-service to see Kafka gone',
    );
    const metrics = await (await fetch(`http://127.0.0.1:${order.port}/metrics`)).text();
    expect(metrics).toMatch(/^kafka_connected\{service="order-service"\} 0$/m);

    const placed = await fetch(`http://127.0.0.1:${order.port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'rita', lines: [{ productId: 'READY-1', quantity: 1 }] }),
    });
    expect(placed.status).toBe(201);
    const { id } = (await placed.json()) as { id: string };
    const db = new Client({ connectionString: stack.endpoints().databaseUrls['order-service'] });
    await db.connect();
    try {
      const { rows } = await db.query<{ event_type: string; published_at: Date | null }>(
        'SELECT event_type, published_at FROM outbox WHERE message_key = $1',
        [id],
      );
      expect(rows).toEqual([{ event_type: 'OrderCreated', published_at: null }]);
    } finally {
      await db.end();
    }

    await stack.down(['postgres']);
    await eventually(
      async () => (await readiness(order.port)).status === 503,
      30_000,
      'order-service to be not ready without its database',
    );
    expect((await readiness(order.port)).body).toMatchObject({
      detail: 'not ready: database',
      checks: { database: false },
    });
  });
});
