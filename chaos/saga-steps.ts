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

interface OutboxEvent {
  readonly service: ServiceName;
  readonly eventType: string;
  readonly createdAt: number;
  readonly publishedAt: number | null;
}

/**
 * Where the time of the orders placed in a window went, step by step, from the services' own
 * rows: an outbox row's created_at → published_at is the relay's step, its published_at → a
 * consumer's processed_events.processed_at is the consuming step (Kafka, the fetch, the handler's
 * queue). The services' clocks are this machine's one clock, so the steps add up.
 */
export async function sagaSteps(
  databaseUrl: (service: ServiceName) => string,
  customerPrefix: string,
  from: Date,
  to: Date,
): Promise<SagaStep[]> {
  const orderIds = await query<{ id: string }>(
    databaseUrl('order-service'),
    `SELECT id FROM orders WHERE customer_id LIKE $1 || '-%' AND created_at >= $2 AND created_at <= $3`,
    [customerPrefix, from, to],
  );
  if (orderIds.length === 0) return [];
  const keys = orderIds.map((r) => r.id);

  const events = new Map<string, OutboxEvent>();
  for (const service of SERVICE_NAMES) {
    const rows = await outboxRowsOf(databaseUrl(service), keys);
    for (const r of rows) {
      events.set(r.event_id, {
        service,
        eventType: r.event_type,
        createdAt: r.created_at.getTime(),
        publishedAt: r.published_at?.getTime() ?? null,
      });
    }
  }

  const samples = new Map<string, { took: number[]; start: number[] }>();
  const sample = (step: string, start: number, end: number) => {
    const s = samples.get(step) ?? { took: [], start: [] };
    s.took.push(end - start);
    s.start.push(start);
    samples.set(step, s);
  };
  for (const e of events.values()) {
    if (e.publishedAt !== null)
      sample(`${e.eventType}: relay (${e.service})`, e.createdAt, e.publishedAt);
  }
  const ids = [...events.keys()];
  for (const service of SERVICE_NAMES) {
    const rows = await processedRowsOf(databaseUrl(service), ids);
    for (const r of rows) {
      const e = events.get(r.event_id);
      if (e?.publishedAt == null) continue;
      sample(`${e.eventType} → ${service}`, e.publishedAt, r.processed_at.getTime());
    }
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

interface OutboxRow {
  event_id: string;
  event_type: string;
  created_at: Date;
  published_at: Date | null;
}

/** A service's outbox rows of the given orders (an event's key is its order's id). */
const outboxRowsOf = (url: string, orderIds: readonly string[]) =>
  query<OutboxRow>(
    url,
    'SELECT event_id, event_type, created_at, published_at FROM outbox WHERE message_key = ANY($1)',
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

/** One thing that happened to an order's events, for the timeline of the slowest order. */
export interface TimelineEntry {
  readonly at: number;
  readonly what: string;
}

/**
 * The order placed in the window that took longest to complete, and what happened to each of its
 * events when: written to an outbox, published, applied by each consumer.
 */
export async function slowestOrderTimeline(
  databaseUrl: (service: ServiceName) => string,
  customerPrefix: string,
  from: Date,
  to: Date,
): Promise<{ orderId: string; entries: TimelineEntry[] } | undefined> {
  const [slowest] = await query<{ id: string; created_at: Date; updated_at: Date }>(
    databaseUrl('order-service'),
    `SELECT id, created_at, updated_at FROM orders
     WHERE status = 'COMPLETED' AND customer_id LIKE $1 || '-%' AND created_at >= $2 AND created_at <= $3
     ORDER BY updated_at - created_at DESC LIMIT 1`,
    [customerPrefix, from, to],
  );
  if (!slowest) return undefined;
  const entries: TimelineEntry[] = [
    { at: slowest.created_at.getTime(), what: 'order placed' },
    { at: slowest.updated_at.getTime(), what: 'order COMPLETED' },
  ];
  const events = new Map<string, string>();
  for (const service of SERVICE_NAMES) {
    const rows = await outboxRowsOf(databaseUrl(service), [slowest.id]);
    for (const r of rows) {
      events.set(r.event_id, r.event_type);
      entries.push({ at: r.created_at.getTime(), what: `${r.event_type} written by ${service}` });
      if (r.published_at)
        entries.push({ at: r.published_at.getTime(), what: `${r.event_type} published` });
    }
  }
  for (const service of SERVICE_NAMES) {
    const rows = await processedRowsOf(databaseUrl(service), [...events.keys()]);
    for (const r of rows)
      entries.push({
        at: r.processed_at.getTime(),
        what: `${events.get(r.event_id)} applied by ${service}`,
      });
  }
  return { orderId: slowest.id, entries: entries.sort((a, b) => a.at - b.at) };
}
