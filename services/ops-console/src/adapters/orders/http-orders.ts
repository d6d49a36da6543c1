import { z } from 'zod';
import type { OrderState, Orders, StuckSagas } from '../../application/ports';

const OrderSchema = z.object({
  id: z.string(),
  status: z.string(),
  customerId: z.string().optional(),
  createdAt: z.string().optional(),
  history: z
    .array(
      z.object({
        from: z.string().nullable().optional(),
        to: z.string(),
        cause: z.string().optional(),
        causeId: z.string().optional(),
        at: z.string().optional(),
      }),
    )
    .default([]),
});

const StuckSchema = z.object({
  deadlinesMs: z.record(z.string(), z.number()),
  items: z.array(OrderSchema.extend({ statusSince: z.string() })),
});

/** order-service's own API (GET /orders/:id): the console reads no service's database. */
export class HttpOrders implements Orders {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3_000,
  ) {}

  async find(orderId: string): Promise<OrderState | undefined> {
    const response = await this.get(`/orders/${encodeURIComponent(orderId)}`);
    // 404: no such order; 400/422: not an id order-service could have given out.
    if ([400, 404, 422].includes(response.status)) return undefined;
    if (!response.ok) throw new Error(`order-service answered ${response.status}`);
    return OrderSchema.parse(await response.json());
  }

  async stuck(limit: number): Promise<StuckSagas> {
    const response = await this.get(`/sagas/stuck?limit=${limit}`);
    if (!response.ok) throw new Error(`order-service answered ${response.status}`);
    const { deadlinesMs, items } = StuckSchema.parse(await response.json());
    return { deadlinesMs, orders: items };
  }

  private get(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: { accept: 'application/json' },
    });
  }
}
