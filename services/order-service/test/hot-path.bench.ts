/**
 * `npx tsx services/order-service/test/hot-path.bench.ts [orders] [repeats]`: order-service's
 * CPU and round trips per happy order on its own hot paths (issue 15), lever by lever, against the
 * test stack's PostgreSQL. A happy order here is PlaceOrder (catalog check included) and the saga
 * steps StockReserved, PaymentCompleted and StockDeducted, each in its own transaction with the
 * outbox, four at a time. Not here: the consumer's own statements (processed events, savepoint),
 * the relay, Kafka. Variants run interleaved, and the figures are medians over the repeats.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { Client } from 'pg';
import { Sequelize } from 'sequelize';
import { createEnvelope } from '@shop/contracts';
import { Outbox, TransactionScopes, createMigrator } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { ORDER_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { orderUnitOfWork } from '../src/adapters/persistence/sql-order-store';
import { InventoryCatalogClient } from '../src/adapters/web/inventory-catalog.client';
import { systemClock } from '../src/application/clock';
import { OrderSaga } from '../src/application/order-saga';
import { PlaceOrder } from '../src/application/place-order';
import { RememberedProducts } from '../src/application/remembered-products';

const orders = Number(process.argv[2] ?? 400);
const repeats = Number(process.argv[3] ?? 3);
const concurrency = 4;
const PRODUCTS = Array.from({ length: 20 }, (_, i) => `P-${i}`);
const noMetrics = {
  orderPlaced: () => undefined,
  orderCompleted: () => undefined,
  orderCancelled: () => undefined,
};

const VARIANTS = [
  { name: 'baseline', preparedStatements: false, catalogCache: false },
  { name: 'prepared statements', preparedStatements: true, catalogCache: false },
  { name: 'catalog cache', preparedStatements: false, catalogCache: true },
  { name: 'both', preparedStatements: true, catalogCache: true },
] as const;

/** inventory's GET /products?ids= in a process of its own, so its CPU is not counted here. */
async function fakeInventory(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('node:http').createServer((req, res) => {
         const ids = new URL(req.url, 'http://x').searchParams.get('ids').split(',');
         res.setHeader('content-type', 'application/json');
         res.end(JSON.stringify({ items: ids.map((id) => ({ id, priceCents: 500 })) }));
       }).listen(0, '127.0.0.1', function () { process.send(this.address().port); });`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const [port] = (await once(child, 'message')) as [number];
  return { url: `http://127.0.0.1:${port}`, child };
}

const TICKS_PER_MS = 100 / 1000; // USER_HZ is 100 on Linux

/** CPU ms a process has used so far (user + system), 0 once it is gone. */
function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_MS;
  } catch {
    return 0;
  }
}

/** CPU ms of the PostgreSQL backends serving this database so far, listed at every call. */
async function postgresCpuMs(admin: Client): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return new Map(rows.map(({ pid }) => [pid, cpuMsOf(pid)]));
}

function spentSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('order-hot-path');
  const sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
  const inventory = await fakeInventory();
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  const statements = { count: 0 };
  const query = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    statements.count++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await createMigrator(sequelize, ORDER_MIGRATIONS).up();
    const scopes = new TransactionScopes(sequelize, new Outbox(sequelize));
    const saga = new OrderSaga(systemClock, noMetrics);
    const catalogClient = new InventoryCatalogClient(inventory.url);
    const results = new Map<
      string,
      { cpuMs: number[]; postgresMs: number[]; inventoryMs: number[]; statements: number[] }
    >();

    const run = async (variant: (typeof VARIANTS)[number]) => {
      const transactions = scopes.of(
        orderUnitOfWork(sequelize, { preparedStatements: variant.preparedStatements }),
      );
      const catalog = variant.catalogCache
        ? new RememberedProducts(catalogClient, systemClock, 60_000)
        : catalogClient;
      const placeOrder = new PlaceOrder(transactions, catalog, systemClock, noMetrics);
      const happyOrder = async (i: number) => {
        const { order } = await placeOrder.execute({
          customerId: `c-${i % 50}`,
          lines: [
            { productId: PRODUCTS[i % 20]!, quantity: 1 },
            { productId: PRODUCTS[(i + 3) % 20]!, quantity: 2 },
          ],
          paymentMethod: { type: 'card', reference: 'tok_visa' },
          idempotencyKey: crypto.randomUUID(),
          requestId: crypto.randomUUID(),
        });
        const orderId = order.id;
        const origin = { correlationId: orderId, causationId: orderId };
        const items = order.snapshot.lines.map((l) => ({ ...l, unitPriceCents: 500 }));
        const amountCents = items.reduce((sum, l) => sum + l.quantity * 500, 0);
        await transactions.run((uow) =>
          saga.onStockReserved(
            uow,
            createEnvelope(
              'StockReserved',
              orderId,
              { orderId, reservedItems: items, amountCents, currency: 'USD' },
              origin,
            ),
          ),
        );
        await transactions.run((uow) =>
          saga.onPaymentCompleted(
            uow,
            createEnvelope(
              'PaymentCompleted',
              orderId,
              {
                orderId,
                customerId: order.snapshot.customerId,
                paymentId: crypto.randomUUID(),
                amountCents,
                currency: 'USD',
              },
              origin,
            ),
          ),
        );
        await transactions.run((uow) =>
          saga.onStockDeducted(
            uow,
            createEnvelope(
              'StockDeducted',
              orderId,
              { orderId, items: [...order.snapshot.lines] },
              origin,
            ),
          ),
        );
      };
      let next = 0;
      const postgresBefore = await postgresCpuMs(admin);
      const before = {
        cpu: process.cpuUsage(),
        statements: statements.count,
        inventory: cpuMsOf(inventory.child.pid!),
      };
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < orders) await happyOrder(next++);
        }),
      );
      const cpu = process.cpuUsage(before.cpu);
      const statementsRun = statements.count - before.statements;
      const postgresMs = spentSince(postgresBefore, await postgresCpuMs(admin));
      const figures = results.get(variant.name) ?? {
        cpuMs: [],
        postgresMs: [],
        inventoryMs: [],
        statements: [],
      };
      figures.cpuMs.push((cpu.user + cpu.system) / 1000 / orders);
      figures.postgresMs.push(postgresMs / orders);
      figures.inventoryMs.push((cpuMsOf(inventory.child.pid!) - before.inventory) / orders);
      figures.statements.push(statementsRun / orders);
      results.set(variant.name, figures);
    };

    for (const variant of VARIANTS) await run(variant); // warm-up: JIT, connections, prepares
    results.clear();
    for (let r = 0; r < repeats; r++) for (const variant of VARIANTS) await run(variant);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // The ratio is taken per repeat, against the baseline run beside it, then the median.
    const baseline = results.get('baseline')!.cpuMs;
    console.log(`${orders} happy orders x ${repeats} repeats, ${concurrency} at a time`);
    console.log(
      'variant                 | order-service CPU ms/order | ratio | postgres ms/order | inventory stub ms/order | statements/order',
    );
    for (const [name, figures] of results) {
      const cpu = median(figures.cpuMs);
      console.log(
        [
          name.padEnd(23),
          `${cpu.toFixed(2)} (${figures.cpuMs.map((c) => c.toFixed(2)).join(' ')})`.padStart(26),
          median(figures.cpuMs.map((c, r) => c / baseline[r]!))
            .toFixed(2)
            .padStart(5),
          median(figures.postgresMs).toFixed(2).padStart(17),
          median(figures.inventoryMs).toFixed(2).padStart(23),
          median(figures.statements).toFixed(1).padStart(16),
        ].join(' | '),
      );
    }
  } finally {
    Client.prototype.query = query;
    inventory.child.kill();
    await admin.end();
    await sequelize.close();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
