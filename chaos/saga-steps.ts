import { Client } from 'pg';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';

/** How long one step of the saga took for a set of orders: p50, p99 and the slowest, in ms. */
export interface SagaStep {
  /** e.g. "OrderCreated: relay (order-service)" or "OrderCreated → inventory-service". */
  readonly step: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** When the step usually happens, for ordering the steps as the saga runs them. */
  readonly medianStartMs: number;
  /** When the slowest one started (epoch ms): at the fault, or when it was healed? */
  readonly slowestStartMs: number;
}

/** One thing that happened to an order's events, for the timeline of the slowest order. */
export interface TimelineEntry {
  readonly at: number;
  readonly what: string;
}

/** Where the time of a window's orders went, and its slowest completed order event by event. */
export interface WindowSteps {
  readonly steps: SagaStep[];
  readonly slowest?: { orderId: string; entries: TimelineEntry[] };
}

interface OutboxEvent {
  readonly orderId: string;
  readonly service: ServiceName;
  readonly eventType: string;
  readonly createdAt: number;
  readonly publishedAt: number | null;
}

interface Applied {
  readonly event: OutboxEvent;
  readonly service: ServiceName;
  readonly at: number;
}

/**
 * Where the time of the orders placed in a window went, step by step, from the services' own
 * rows: an outbox row's created_at → published_at is the relay's step, its published_at → a
 * consumer's processed_events.processed_at is the consuming step (Kafka, the fetch, the handler's
 * queue). The services' clocks are this machine's one clock, so the steps add up. The same rows
 * give the timeline of the order that took longest to complete: when each of its events was
 * written to an outbox, published, and applied by each consumer.
 */
export async function sagaSteps(
  databaseUrl: (service: ServiceName) => string,
  customerPrefix: string,
  from: Date,
  to: Date,
): Promise<WindowSteps> {
  const orders = await query<{ id: string; status: string; created_at: Date; updated_at: Date }>(
    databaseUrl('order-service'),
    `SELECT id, status, created_at, updated_at FROM orders
     WHERE customer_id LIKE $1 || '-%' AND created_at >= $2 AND created_at <= $3`,
    [customerPrefix, from, to],
  );
  if (orders.length === 0) return { steps: [] };

  const events = new Map<string, OutboxEvent>();
  for (const service of SERVICE_NAMES) {
    const rows = await outboxRowsOf(
      databaseUrl(service),
      orders.map((o) => o.id),
    );
    for (const r of rows) {
      events.set(r.event_id, {
        orderId: r.message_key,
        service,
        eventType: r.event_type,
        createdAt: r.created_at.getTime(),
        publishedAt: r.published_at?.getTime() ?? null,
      });
    }
  }
  const applied: Applied[] = [];
  for (const service of SERVICE_NAMES) {
    for (const r of await processedRowsOf(databaseUrl(service), [...events.keys()])) {
      const event = events.get(r.event_id);
      if (event) applied.push({ event, service, at: r.processed_at.getTime() });
    }
  }

  const slowest = orders
    .filter((o) => o.status === 'COMPLETED')
    .sort(
      (a, b) =>
        b.updated_at.getTime() -
        b.created_at.getTime() -
        (a.updated_at.getTime() - a.created_at.getTime()),
    )[0];
  return {
    steps: stepsOf([...events.values()], applied),
    slowest: slowest && {
      orderId: slowest.id,
      entries: timelineOf(slowest, [...events.values()], applied),
    },
  };
}

function stepsOf(events: readonly OutboxEvent[], applied: readonly Applied[]): SagaStep[] {
  const samples = new Map<string, { took: number[]; start: number[] }>();
  const sample = (step: string, start: number, end: number) => {
    const s = samples.get(step) ?? { took: [], start: [] };
    s.took.push(end - start);
    s.start.push(start);
    samples.set(step, s);
  };
  for (const e of events) {
    if (e.publishedAt !== null)
      sample(`${e.eventType}: relay (${e.service})`, e.createdAt, e.publishedAt);
  }
  for (const { event, service, at } of applied) {
    if (event.publishedAt !== null)
      sample(`${event.eventType} → ${service}`, event.publishedAt, at);
  }
  return [...samples.entries()]
    .map(([step, s]) => {
      const took = [...s.took].sort((a, b) => a - b);
      const slowest = s.took.indexOf(took[took.length - 1]!);
      return {
        step,
        count: took.length,
        p50Ms: percentile(took, 0.5),
        p99Ms: percentile(took, 0.99),
        maxMs: took[took.length - 1]!,
        medianStartMs: percentile(
          [...s.start].sort((a, b) => a - b),
          0.5,
        ),
        slowestStartMs: s.start[slowest]!,
      };
    })
    .sort((a, b) => a.medianStartMs - b.medianStartMs);
}

function timelineOf(
  order: { id: string; created_at: Date; updated_at: Date },
  events: readonly OutboxEvent[],
  applied: readonly Applied[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { at: order.created_at.getTime(), what: 'order placed' },
    { at: order.updated_at.getTime(), what: 'order COMPLETED' },
  ];
  for (const e of events.filter((e) => e.orderId === order.id)) {
    entries.push({ at: e.createdAt, what: `${e.eventType} written by ${e.service}` });
    if (e.publishedAt !== null)
      entries.push({ at: e.publishedAt, what: `${e.eventType} published` });
  }
  for (const { event, service, at } of applied) {
    if (event.orderId === order.id)
      entries.push({ at, what: `${event.eventType} applied by ${service}` });
  }
  return entries.sort((a, b) => a.at - b.at);
}

interface OutboxRow {
  event_id: string;
  message_key: string;
  event_type: string;
  created_at: Date;
  published_at: Date | null;
}

/** A service's outbox rows of the given orders (an event's key is its order's id). */
const outboxRowsOf = (url: string, orderIds: readonly string[]) =>
  query<OutboxRow>(
    url,
    'SELECT event_id, message_key, event_type, created_at, published_at FROM outbox WHERE message_key = ANY($1)',
    [orderIds],
  );

/** When a service's consumer applied each of the given events. */
const processedRowsOf = (url: string, eventIds: readonly string[]) =>
  query<{ event_id: string; processed_at: Date }>(
    url,
    'SELECT event_id, processed_at FROM processed_events WHERE event_id = ANY($1::uuid[])',
    [eventIds],
  );

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

async function query<Row extends object>(
  url: string,
  sql: string,
  params: unknown[],
): Promise<Row[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query<Row>(sql, params)).rows;
  } finally {
    await db.end();
  }
}
