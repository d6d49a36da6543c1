import { Pool } from 'pg';
import { consumerGroupOf, type ServiceName } from '@shop/contracts';
import type { PartialSteps, ServiceTables } from '../../application/ports';
import { traceIdOf, type TimelineStep } from '../../domain/timeline';

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

/**
 * The order's events found by id (the unique index on event_id) and its rows not published yet
 * (the partial index on unpublished rows, as small as the backlog): no scan of a service's outbox.
 */
const OUTBOX_ROWS = `
  SELECT id, event_id, event_type, topic, created_at, published_at,
         headers->>'traceparent' AS traceparent
    FROM outbox
   WHERE event_id = ANY($1::uuid[]) OR (published_at IS NULL AND message_key = $2)`;

/** By the primary key (consumer_group, event_id). */
const PROCESSED_ROWS = `
  SELECT consumer_group, event_id, event_type, topic, "partition", "offset", processed_at
    FROM processed_events
   WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`;

interface OutboxRow {
  id: string;
  event_id: string;
  event_type: string;
  topic: string;
  created_at: Date;
  published_at: Date | null;
  traceparent: string | null;
}

interface ProcessedRow {
  consumer_group: string;
  event_id: string;
  event_type: string;
  topic: string;
  partition: number;
  offset: string;
  processed_at: Date;
}

/**
 * Each service's outbox and processed_events, read over a connection of the console's own to
 * that service's database. No service answers for these rows over HTTP; the sessions are
 * read-only (the server refuses any write on them), and a deployment gives the URL a role that
 * may only SELECT these two tables.
 */
export class SqlServiceTables implements ServiceTables {
  private readonly pools = new Map<ServiceName, Pool>();
  private readonly services: ServiceName[];

  constructor(
    databaseUrls: Readonly<Record<ServiceName, string | undefined>>,
    /** The setting that names each service's URL, for the page to say what is missing. */
    private readonly settingOf: (service: ServiceName) => string,
  ) {
    for (const [service, url] of Object.entries(databaseUrls) as Array<[ServiceName, string]>) {
      if (!url) continue;
      this.pools.set(
        service,
        new Pool({
          connectionString: url,
          max: 2,
          application_name: 'ops-console-reader',
          options: '-c default_transaction_read_only=on',
          statement_timeout: 5_000,
        }),
      );
    }
    this.services = Object.keys(databaseUrls) as ServiceName[];
  }

  async stepsOf(orderId: string, eventIds: readonly string[]): Promise<PartialSteps> {
    const ids = eventIds.filter((id) => UUID.test(id));
    const perService = await Promise.all(
      this.services.map(async (service): Promise<PartialSteps> => {
        const pool = this.pools.get(service);
        if (!pool)
          return {
            steps: [],
            unavailable: [`${service}'s tables: ${this.settingOf(service)} is not set`],
          };
        try {
          return { steps: await this.read(service, pool, orderId, ids), unavailable: [] };
        } catch (err) {
          return { steps: [], unavailable: [`${service}'s tables: ${(err as Error).message}`] };
        }
      }),
    );
    return {
      steps: perService.flatMap((p) => p.steps),
      unavailable: perService.flatMap((p) => p.unavailable),
    };
  }

  private async read(
    service: ServiceName,
    pool: Pool,
    orderId: string,
    eventIds: string[],
  ): Promise<TimelineStep[]> {
    const [outbox, processed] = await Promise.all([
      pool.query<OutboxRow>(OUTBOX_ROWS, [eventIds, orderId]),
      pool.query<ProcessedRow>(PROCESSED_ROWS, [consumerGroupOf(service), eventIds]),
    ]);
    return [
      ...outbox.rows.map((r): TimelineStep => ({
        at: r.created_at,
        kind: 'outbox',
        where: `${service} outbox #${r.id}`,
        eventType: r.event_type,
        eventId: r.event_id,
        traceId: traceIdOf(r.traceparent ?? undefined),
        note: r.published_at
          ? `published to ${r.topic} at ${r.published_at.toISOString()}`
          : `not published yet (for ${r.topic})`,
      })),
      ...processed.rows.map((r): TimelineStep => ({
        at: r.processed_at,
        kind: 'processed',
        where: r.consumer_group,
        eventType: r.event_type,
        eventId: r.event_id,
        note: `processed from ${r.topic}/${r.partition}/${r.offset}`,
      })),
    ];
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end()));
  }
}
