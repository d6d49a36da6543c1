import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { parseEnvelope, topicOf, type Envelope } from '@shop/contracts';
import { EVENT_TYPE_HEADER } from '../headers';
import { traceHeaders } from '../tracing';

/** Writes events into the outbox inside the caller's transaction: they commit with the state change. */
export class Outbox {
  constructor(private readonly sequelize: Sequelize) {}

  async append(
    transaction: Transaction,
    envelopes: readonly Envelope[],
    headers: Record<string, string> = {},
  ): Promise<void> {
    if (envelopes.length === 0) return;
    // The trace context travels with the row, so the relay's publish joins the same trace.
    const trace = traceHeaders();
    const rows = envelopes.map((e) => {
      const valid = parseEnvelope(e);
      return [
        valid.eventId,
        valid.eventType,
        topicOf(valid),
        valid.aggregateId,
        JSON.stringify(valid),
        JSON.stringify({ ...trace, ...headers, [EVENT_TYPE_HEADER]: valid.eventType }),
      ];
    });
    const placeholders = rows
      .map(
        (_, i) =>
          `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6}::jsonb)`,
      )
      .join(', ');
    await this.sequelize.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers) VALUES ${placeholders}`,
      { bind: rows.flat(), transaction, type: QueryTypes.INSERT },
    );
  }
}
