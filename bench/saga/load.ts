import crypto from 'node:crypto';

/** The products the benchmark creates: plenty of stock, and one that is always out of stock. */
export const BENCH_PRODUCTS = Array.from(
  { length: 20 },
  (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`,
);
export const SOLD_OUT = 'BENCH-SOLD-OUT';

export interface LoadResult {
  readonly rate: number;
  readonly seconds: number;
  readonly offered: number;
  readonly accepted: readonly string[];
  readonly refused: number;
  /** Orders the generator could not send on time because too many requests were in flight. */
  readonly notSent: number;
  readonly httpLatencyMs: { readonly p50: number; readonly p99: number };
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** 90 % succeed, 5 % ask for a sold-out product, 5 % are declined by the payment gateway. */
function orderBody(i: number, run: string, happyOnly: boolean): unknown {
  const r = happyOnly ? 0 : i % 20;
  const product = (k: number) => BENCH_PRODUCTS[(i * 7 + k) % BENCH_PRODUCTS.length]!;
  return {
    customerId: `bench-${run}-${i % 500}`,
    lines:
      r === 18
        ? [{ productId: SOLD_OUT, quantity: 1 }]
        : [
            { productId: product(0), quantity: 1 + (i % 3) },
            ...(i % 2 === 0 ? [{ productId: product(3), quantity: 1 }] : []),
          ],
    paymentMethod: { type: 'card', reference: r === 19 ? 'tok_declined' : 'tok_visa' },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Open-loop load: order i is sent at start + i/rate whether or not earlier ones were answered,
 * as independent customers would; a closed loop would slow down with the system and hide queueing.
 */
export async function openLoop(
  orderUrl: string,
  rate: number,
  seconds: number,
  onTick: (sent: number, accepted: readonly string[]) => void = () => undefined,
  /** Checked between sends: a step that is clearly overloaded stops early instead of piling up. */
  shouldStop: () => boolean = () => false,
  happyOnly = false,
  maxInFlight = 4_000,
): Promise<LoadResult> {
  const run = crypto.randomBytes(3).toString('hex');
  const total = Math.round(rate * seconds);
  const accepted: string[] = [];
  const httpLatencies: number[] = [];
  let refused = 0;
  let notSent = 0;
  let sent = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const place = async (i: number) => {
    const began = performance.now();
    try {
      const res = await fetch(`${orderUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${run}-${i}` },
        body: JSON.stringify(orderBody(i, run, happyOnly)),
      });
      const body = (await res.json()) as { id?: string };
      if (res.status === 201 && body.id) accepted.push(body.id);
      else refused++;
    } catch {
      refused++;
    } finally {
      httpLatencies.push(performance.now() - began);
      inFlight--;
    }
  };
  const startedAt = new Date();
  const began = performance.now();
  let lastTick = 0;
  let offered = total;
  while (sent + notSent < total) {
    if (shouldStop()) {
      offered = sent + notSent;
      break;
    }
    const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * rate));
    while (sent + notSent < due) {
      if (inFlight >= maxInFlight) {
        notSent++;
        continue;
      }
      inFlight++;
      const p = place(sent++);
      pending.add(p);
      void p.then(() => pending.delete(p));
    }
    if (performance.now() - lastTick > 1_000) {
      lastTick = performance.now();
      onTick(sent, accepted);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const endedAt = new Date();
  await Promise.all(pending);
  httpLatencies.sort((a, b) => a - b);
  return {
    rate,
    seconds: (performance.now() - began) / 1000,
    offered,
    accepted,
    refused,
    notSent,
    httpLatencyMs: { p50: percentile(httpLatencies, 50), p99: percentile(httpLatencies, 99) },
    startedAt,
    endedAt,
  };
}
