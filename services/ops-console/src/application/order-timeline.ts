import { stateSteps } from '../domain/state-history';
import { inTimeOrder, withTraceIds, type TimelineStep } from '../domain/timeline';
import type {
  CustomerNotifications,
  OrderRecords,
  OrderState,
  Orders,
  PartialSteps,
  ServiceTables,
} from './ports';

export interface OrderTimeline {
  readonly orderId: string;
  readonly order?: OrderState;
  readonly orderUnavailable?: string;
  readonly since: Date;
  readonly steps: readonly TimelineStep[];
  /** Topics where the window held more records than were read. */
  readonly cut: readonly string[];
  /** Sources that could not be read (or are not configured), and why. */
  readonly unavailable: readonly string[];
}

/** How far before the order's creation records are looked for (clocks of producers differ). */
const SKEW_MS = 60_000;

export interface TimelineSources {
  readonly orders: Orders;
  readonly records: OrderRecords;
  readonly tables: ServiceTables;
  readonly notifications: CustomerNotifications;
}

/**
 * One order across the services, in time order: its records on every topic, its outbox and
 * processed-events rows in each service, its state changes and its notifications.
 */
export class OrderTimelines {
  constructor(
    private readonly sources: TimelineSources,
    /** How far back to read for an order that order-service does not know. */
    private readonly defaultWindowMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async of(orderId: string): Promise<OrderTimeline> {
    const { records, tables, notifications } = this.sources;
    const first = await this.orderNamed(orderId);
    const created = first.order?.createdAt ? Date.parse(first.order.createdAt) : NaN;
    const since = new Date(
      Number.isNaN(created) ? this.now().getTime() - this.defaultWindowMs : created - SKEW_MS,
    );
    const onTopics = await records.stepsOf(orderId, since);
    // The processed-events rows are found by the ids of the events the topics carried.
    const eventIds = [...new Set(onTopics.steps.flatMap((s) => (s.eventId ? [s.eventId] : [])))];
    // The order is asked again last: reading the topics takes a while, and its state and history
    // must not be older than the records shown beside them.
    const [rows, told, { order, orderUnavailable }] = await Promise.all([
      settled('the services’ tables', tables.stepsOf(orderId, eventIds)),
      settled('notification-service', notifications.stepsOf(orderId)),
      first.order ? this.orderNamed(orderId) : first,
    ]);
    const steps = [
      ...onTopics.steps,
      ...rows.steps,
      ...told.steps,
      ...stateSteps(order?.history ?? []),
    ];
    return {
      orderId,
      order,
      orderUnavailable,
      since,
      steps: inTimeOrder(withTraceIds(steps)),
      cut: onTopics.cut,
      unavailable: [...rows.unavailable, ...told.unavailable],
    };
  }

  private async orderNamed(
    orderId: string,
  ): Promise<{ order?: OrderState; orderUnavailable?: string }> {
    try {
      const order = await this.sources.orders.find(orderId);
      return order ? { order } : { orderUnavailable: 'order-service does not know this order' };
    } catch (err) {
      return { orderUnavailable: `order-service did not answer: ${(err as Error).message}` };
    }
  }
}

/** A source that fails leaves the rest of the timeline standing, and says so. */
async function settled(source: string, steps: Promise<PartialSteps>): Promise<PartialSteps> {
  try {
    return await steps;
  } catch (err) {
    return { steps: [], unavailable: [`${source}: ${(err as Error).message}`] };
  }
}
