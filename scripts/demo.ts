/**
 * `npm run demo [-- --orders 200 --concurrency 16]`: places orders against the running system
 * with a realistic mix, shows live progress, then a summary and the reconciliation.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { LOCAL_HTTP_PORTS } from '@shop/contracts';
import { printReport, reconcileLocal } from './reconcile';
import { runTool, toolBrokers } from './kafka-tool';
import { SCARCE, mixedOrder, type Kind } from './order-mix';

const ORDER_URL = process.env.ORDER_URL ?? `http://127.0.0.1:${LOCAL_HTTP_PORTS['order-service']}`;
const INVENTORY_URL =
  process.env.INVENTORY_URL ?? `http://127.0.0.1:${LOCAL_HTTP_PORTS['inventory-service']}`;
interface Tracked {
  id: string;
  kind: Kind;
  status: string;
  latencyMs?: number;
}

async function http<T>(
  method: string,
  url: string,
  body?: unknown,
  idempotencyKey: string = crypto.randomUUID(),
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers:
      body === undefined
        ? {}
        : { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/**
 * Places an order, trying again with the same Idempotency-Key when the answer is lost (a service
 * restarting): the order is placed once either way. Undefined when it never got through.
 */
async function placeOrder(
  request: unknown,
): Promise<{ status: number; body: { id: string; status: string } } | undefined> {
  const key = crypto.randomUUID();
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await http<{ id: string; status: string }>(
        'POST',
        `${ORDER_URL}/orders`,
        request,
        key,
      );
    } catch {
      await new Promise((r) => setTimeout(r, 1_000 * attempt));
    }
  }
  return undefined;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const total = Number(values.orders);
  const concurrency = Number(values.concurrency);
  try {
    await http('GET', `${INVENTORY_URL}/products?ids=${SCARCE}`);
  } catch {
    console.error(
      `demo: the system is not running at ${ORDER_URL} / ${INVENTORY_URL}; start it with npm start`,
    );
    return 1;
  }

  const run = crypto.randomBytes(3).toString('hex');
  const orders: Tracked[] = [];
  const started = Date.now();
  let next = 0;
  let failed = 0;
  const place = async () => {
    while (next < total) {
      const i = next++;
      const { kind, request } = mixedOrder(i, `demo-${run}`);
      const res = await placeOrder(request);
      if (res?.status !== 201) {
        failed++;
        continue;
      }
      const tracked: Tracked = { id: res.body.id, kind, status: 'PENDING' };
      orders.push(tracked);
      if (kind === 'cancelled') {
        // A lost cancel leaves an order that completes: the summary shows it as such.
        const cancel = await http<{ status: string }>(
          'POST',
          `${ORDER_URL}/orders/${tracked.id}/cancel`,
          { reason: 'customer changed their mind' },
        ).catch(() => undefined);
        if (cancel?.status === 202) tracked.status = cancel.body.status;
      }
    }
  };

  const terminal = (o: Tracked) => o.status === 'COMPLETED' || o.status === 'CANCELLED';
  const poll = async () => {
    const open = orders.filter((o) => !terminal(o));
    for (let i = 0; i < open.length; i += 20) {
      await Promise.all(
        open.slice(i, i + 20).map(async (o) => {
          const res = await http<{ status: string; history: Array<{ at: string }> }>(
            'GET',
            `${ORDER_URL}/orders/${o.id}`,
          ).catch(() => undefined); // asked again on the next round
          if (res?.status !== 200) return;
          o.status = res.body.status;
          if (terminal(o)) {
            const h = res.body.history;
            o.latencyMs = Date.parse(h[h.length - 1]!.at) - Date.parse(h[0]!.at);
          }
        }),
      );
    }
  };
  const progress = () => {
    const done = orders.filter(terminal);
    const seconds = (Date.now() - started) / 1000;
    const line =
      `placed ${orders.length}/${total}  completed ${orders.filter((o) => o.status === 'COMPLETED').length}  ` +
      `cancelled ${orders.filter((o) => o.status === 'CANCELLED').length}  in flight ${orders.length - done.length}  ` +
      `${(done.length / seconds).toFixed(1)} orders/s`;
    process.stdout.write(process.stdout.isTTY ? `\r${line.padEnd(100)}` : `${line}\n`);
  };

  const placing = Promise.all(Array.from({ length: concurrency }, place));
  let placed = false;
  void placing.then(() => (placed = true));
  const deadline = Date.now() + 10 * 60_000;
  while (!(placed && orders.every(terminal)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    await poll();
    progress();
  }
  process.stdout.write('\n');
  const seconds = (Date.now() - started) / 1000;

  const latencies = orders
    .flatMap((o) => (o.latencyMs === undefined ? [] : [o.latencyMs]))
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  console.log(
    `\n${orders.length} orders in ${seconds.toFixed(1)} s (${(orders.length / seconds).toFixed(1)} orders/s), ${failed} refused at the door`,
  );
  for (const kind of ['normal', 'short', 'declined', 'cancelled'] as const) {
    const mine = orders.filter((o) => o.kind === kind);
    const by = (s: string) => mine.filter((o) => o.status === s).length;
    console.log(
      `  ${kind.padEnd(10)} ${String(mine.length).padStart(4)}: completed ${by('COMPLETED')}, cancelled ${by('CANCELLED')}, other ${mine.length - by('COMPLETED') - by('CANCELLED')}`,
    );
  }
  console.log(
    `created -> terminal latency: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`,
  );
  const stuck = orders.filter((o) => !terminal(o)).length;
  if (stuck > 0) console.log(`${stuck} order(s) did not reach a terminal state in time`);

  // Let trailing events (refunds, notifications) land before checking.
  await new Promise((r) => setTimeout(r, 2_000));
  console.log('');
  const report = await reconcileLocal();
  printReport(report);
  return stuck === 0 && report.violations.length === 0 ? 0 : 1;
}

runTool('demo', toolBrokers(), main);
