import crypto from 'node:crypto';
import { mixedOrder } from '../scripts/order-mix';

/** How long one order keeps being retried while its services are down or unreachable. */
const PATIENCE_MS = 180_000;

export interface TrafficResult {
  readonly placed: string[];
  /** Orders the system never accepted within PATIENCE_MS: nothing was written for them. */
  readonly refused: number;
  /** Requests that failed (connection refused, reset, 5xx) and were retried with the same key. */
  readonly retriedRequests: number;
}

/**
 * Customers placing orders while faults happen. A request that fails is retried with the same
 * Idempotency-Key, as a real client would, so a crash after the commit but before the answer
 * never makes a second order.
 */
export class OrderTraffic {
  private readonly placed: string[] = [];
  private refused = 0;
  private retried = 0;
  private next = 0;

  constructor(
    private readonly orderUrl: string,
    private readonly run: string,
  ) {}

  /** Every customer of this traffic has an id starting with this. */
  get customerPrefix(): string {
    return `chaos-${this.run}`;
  }

  /** Every order id a customer was given, since this traffic began. */
  get everyPlaced(): readonly string[] {
    return this.placed;
  }

  /**
   * Places `count` orders with `concurrency` customers at a time; resolves when all were answered.
   * With `perSecond`, order n is placed no earlier than n / perSecond s after the start: a steady
   * rate the system can keep up with, so an order's latency shows the fault, not a queue the
   * traffic itself built (unpaced, twelve customers offer several times what two cores complete).
   */
  async place(count: number, concurrency: number, perSecond?: number): Promise<TrafficResult> {
    const first = this.next;
    const end = first + count;
    const startedAt = Date.now();
    const customer = async () => {
      while (this.next < end) {
        const i = this.next++;
        if (perSecond) {
          const due = startedAt + ((i - first) * 1000) / perSecond;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        }
        await this.placeOne(i);
      }
    };
    const before = { placed: this.placed.length, refused: this.refused, retried: this.retried };
    await Promise.all(Array.from({ length: concurrency }, customer));
    return {
      placed: this.placed.slice(before.placed),
      refused: this.refused - before.refused,
      retriedRequests: this.retried - before.retried,
    };
  }

  private async placeOne(i: number): Promise<void> {
    const { kind, request } = mixedOrder(i, this.customerPrefix);
    const created = await this.send<{ id: string }>(`${this.orderUrl}/orders`, request, [200, 201]);
    if (!created) {
      this.refused++;
      return;
    }
    this.placed.push(created.id);
    if (kind === 'cancelled') {
      // 409: the saga got there first (e.g. already cancelled for stock); either way it ends terminal.
      await this.send(
        `${this.orderUrl}/orders/${created.id}/cancel`,
        { reason: 'changed my mind' },
        [202, 409],
      );
    }
  }

  private async send<T>(url: string, body: unknown, accepted: number[]): Promise<T | undefined> {
    const key = crypto.randomUUID();
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await res.text();
        if (accepted.includes(res.status)) return JSON.parse(text) as T;
        if (res.status < 500) throw new Error(`${url} answered ${res.status}: ${text}`);
      } catch (err) {
        if (err instanceof Error && err.message.includes(' answered ')) throw err;
      }
      this.retried++;
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/**
 * Places one order and waits until it completes: from a fault's healing to this order's
 * completion is the scenario's recovery time (end-to-end service restored, backlog included).
 */
export async function probeOrder(orderUrl: string, timeoutMs: number): Promise<boolean> {
  const traffic = new OrderTraffic(orderUrl, 'probe');
  const { placed } = await traffic.place(1, 1);
  const id = placed[0];
  if (!id) return false;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${orderUrl}/orders/${id}`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok && ((await res.json()) as { status: string }).status === 'COMPLETED') return true;
    } catch {
      // order-service not answering yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
