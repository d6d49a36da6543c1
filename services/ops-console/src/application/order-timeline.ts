import { inTimeOrder, type TimelineStep } from '../domain/timeline';
import type { OrderRecords, OrderState, Orders } from './ports';

export interface OrderTimeline {
  readonly orderId: string;
  readonly order?: OrderState;
  readonly orderUnavailable?: string;
  readonly since: Date;
  readonly steps: readonly TimelineStep[];
  /** Topics where the window held more records than were read. */
  readonly cut: readonly string[];
}

/** How far before the order's creation records are looked for (clocks of producers differ). */
const SKEW_MS = 60_000;

/** One order across the services: its state, and every record that carries it, in time order. */
export class OrderTimelines {
  constructor(
    private readonly orders: Orders,
    private readonly records: OrderRecords,
    /** How far back to read for an order that order-service does not know. */
    private readonly defaultWindowMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async of(orderId: string): Promise<OrderTimeline> {
    let order: OrderState | undefined;
    let orderUnavailable: string | undefined;
    try {
      order = await this.orders.find(orderId);
      if (!order) orderUnavailable = 'order-service does not know this order';
    } catch (err) {
      orderUnavailable = `order-service did not answer: ${(err as Error).message}`;
    }
    const created = order?.createdAt ? Date.parse(order.createdAt) : NaN;
    const since = new Date(
      Number.isNaN(created) ? this.now().getTime() - this.defaultWindowMs : created - SKEW_MS,
    );
    const { steps, cut } = await this.records.stepsOf(orderId, since);
    return { orderId, order, orderUnavailable, since, steps: inTimeOrder(steps), cut };
  }
}
