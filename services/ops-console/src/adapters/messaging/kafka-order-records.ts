import type { Kafka } from 'kafkajs';
import { DLQ_HEADERS, EVENT_TYPE_HEADER, RETRY_HEADERS, allTopics } from '@shop/contracts';
import { headerString, recordsForKey, type ReadRecord } from '@shop/messaging';
import type { OrderRecords } from '../../application/ports';
import { kindOfTopic, traceIdOf, type TimelineStep } from '../../domain/timeline';

/**
 * An order's records on every primary, retry and dead-letter topic: the key is the order id, so
 * one partition per topic is read, from the given time on and at most `maxPerTopic` records.
 */
export class KafkaOrderRecords implements OrderRecords {
  constructor(
    private readonly kafka: Kafka,
    private readonly maxPerTopic: number,
    private readonly topics: readonly string[] = allTopics().map((t) => t.name),
  ) {}

  async stepsOf(orderId: string, since: Date): Promise<{ steps: TimelineStep[]; cut: string[] }> {
    const { records, cut } = await recordsForKey(this.kafka, this.topics, orderId, {
      since,
      maxPerTopic: this.maxPerTopic,
    });
    return { steps: records.map(stepOf), cut };
  }
}

function stepOf({ topic, partition, message }: ReadRecord): TimelineStep {
  const h = message.headers;
  const kind = kindOfTopic(topic);
  const note =
    kind === 'dead letter'
      ? `${headerString(h, DLQ_HEADERS.service) ?? '?'} failed it: ${headerString(h, DLQ_HEADERS.errorClass) ?? '?'}: ${headerString(h, DLQ_HEADERS.errorMessage) ?? ''}`
      : kind === 'retry'
        ? `attempt ${headerString(h, RETRY_HEADERS.attempt) ?? '?'} after ${headerString(h, RETRY_HEADERS.errorClass) ?? '?'}: ${headerString(h, RETRY_HEADERS.errorMessage) ?? ''}`
        : undefined;
  const envelope = envelopeFieldsOf(message.value);
  return {
    at: new Date(Number(message.timestamp)),
    kind,
    where: `${topic}/${partition}/${message.offset}`,
    eventType: headerString(h, EVENT_TYPE_HEADER) ?? envelope.eventType,
    eventId: envelope.eventId,
    traceId: traceIdOf(headerString(h, 'traceparent')),
    note,
  };
}

/** What the value says of itself, if it is an envelope at all (a poisoned record is not). */
function envelopeFieldsOf(value: Buffer | null): { eventType?: string; eventId?: string } {
  try {
    const parsed = JSON.parse(value?.toString('utf8') ?? '') as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { eventType: text(parsed.eventType), eventId: text(parsed.eventId) };
  } catch {
    return {};
  }
}
