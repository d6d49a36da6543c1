import type { Sequelize, Transaction } from 'sequelize';
import type { Envelope } from '@shop/contracts';
import { runPrepared, type PreparedStatement } from '../persistence/prepared';
import type { RecordOrigin } from './record-origin';

/** Every chunk runs it: parsed and planned once per connection (issue 15). */
const MARK_NEW: PreparedStatement = {
  name: 'processed_events_mark_new',
  text: `INSERT INTO processed_events (consumer_group, event_id, event_type, topic, "partition", "offset")
         SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::bigint[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
};

/** The consumer group's processed-event rows: what makes each event's effects happen once. */
export class ProcessedEvents {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly groupId: string,
  ) {}

  /**
   * Records the events as processed by this group in one statement and returns the ids that were
   * new; the rest were processed before and are skipped.
   */
  async markNew(
    records: ReadonlyArray<{ readonly event: Envelope; readonly origin: RecordOrigin }>,
    transaction: Transaction,
  ): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const { rows } = await runPrepared<{ event_id: string }>(transaction, MARK_NEW, [
      this.groupId,
      records.map((r) => r.event.eventId),
      records.map((r) => r.event.eventType),
      records.map((r) => r.origin.topic),
      records.map((r) => r.origin.partition),
      records.map((r) => r.origin.offset),
    ]);
    return new Set(rows.map((r) => r.event_id));
  }

  /** The event goes to a retry topic or the DLQ: it must be applied when it comes back. */
  async unmark(eventId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      'DELETE FROM processed_events WHERE consumer_group = $1 AND event_id = $2',
      { bind: [this.groupId, eventId], transaction },
    );
  }
}
