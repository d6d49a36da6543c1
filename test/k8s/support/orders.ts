import crypto from 'node:crypto';
import { mixedOrder } from '../../../scripts/order-mix';

export interface LoadResult {
  readonly accepted: string[];
  /** Orders never accepted, after every retry with the same Idempotency-Key. */
  readonly refused: number;
}

/**
 * Places `count` orders of the demo mix's `normal` kind (each must complete) at a steady rate,
 * each retried with its Idempotency-Key while a pod behind the Service is going away (up to 20
 * tries over ~30 s): the order is placed once however many tries it takes. Bounded in count.
 */
export async function placeOrders(
  orderUrl: string,
  count: number,
  perSecond: number,
  prefix: string,
): Promise<LoadResult> {
  const accepted: string[] = [];
  let refused = 0;
  const one = async (i: number) => {
    const key = crypto.randomUUID();
    const { request } = mixedOrder(i * 20, prefix); // i * 20: always a `normal` order of the mix
    for (let attempt = 1; attempt <= 20; attempt++) {
      try {
        const res = await fetch(`${orderUrl}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.status === 201) {
          accepted.push(((await res.json()) as { id: string }).id);
          return;
        }
      } catch {
        // the connection went with the pod: the same key again
      }
      await new Promise((r) => setTimeout(r, 1_500));
    }
    refused++;
  };
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    inFlight.push(one(i));
    await new Promise((r) => setTimeout(r, 1_000 / perSecond));
  }
  await Promise.all(inFlight);
  return { accepted, refused };
}

/** Each order's status once all are terminal (COMPLETED or CANCELLED), or at the deadline. */
export async function finalStatuses(
  orderUrl: string,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  const terminal = (s?: string) => s === 'COMPLETED' || s === 'CANCELLED';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = ids.filter((id) => !terminal(statuses.get(id)));
    if (open.length === 0) break;
    for (let i = 0; i < open.length; i += 20) {
      await Promise.all(
        open.slice(i, i + 20).map(async (id) => {
          const res = await fetch(`${orderUrl}/orders/${id}`).catch(() => undefined);
          if (res?.status === 200) statuses.set(id, ((await res.json()) as { status: string }).status);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return statuses;
}
