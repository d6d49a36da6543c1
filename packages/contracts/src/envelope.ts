import crypto from 'node:crypto';
import { z } from 'zod';
import {
  currentVersionOf,
  isEventType,
  readSchema,
  writtenSchema,
  type EventType,
  type PayloadOf,
} from './events';
import { upcasterOf } from './upcasters';
import { topicOfEvent } from './topics';

/** The design's envelope (docs/guide-mapping.md §3); the payload is checked against its event type's schema. */
export const EnvelopeSchema = z.strictObject({
  eventId: z.uuid(),
  eventType: z.string().min(1),
  eventVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  aggregateId: z.string().min(1).max(128),
  correlationId: z.string().min(1).max(128),
  causationId: z.string().min(1).max(128),
  payload: z.unknown(),
});

export interface Envelope<T extends EventType = EventType> {
  readonly eventId: string;
  readonly eventType: T;
  /** Decoded envelopes carry the current version: older payloads were upcast on the way in. */
  readonly eventVersion: number;
  readonly occurredAt: string;
  readonly aggregateId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly payload: PayloadOf<T>;
}

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/**
 * Reads an unknown value as an event: the envelope, then the payload against the schema of the
 * version it was written in (unknown properties dropped), then upcast to the current version.
 * A version this code does not know (a newer producer) is an InvalidEventError: the record goes
 * to the DLQ, to be replayed once this consumer is upgraded.
 */
export function parseEnvelope(value: unknown): Envelope {
  const envelope = EnvelopeSchema.safeParse(value);
  if (!envelope.success)
    throw new InvalidEventError(`invalid envelope: ${summarize(envelope.error)}`);
  const { eventType, eventVersion } = envelope.data;
  if (!isEventType(eventType)) throw new InvalidEventError(`unknown event type: ${eventType}`);
  const current = currentVersionOf(eventType);
  const schema = readSchema(eventType, eventVersion);
  if (!schema) {
    throw new InvalidEventError(
      `unknown ${eventType} version ${eventVersion}: this reader knows versions 1..${current}`,
    );
  }
  let payload = check(schema, envelope.data.payload, `${eventType} v${eventVersion}`);
  for (let version = eventVersion; version < current; version++) {
    const upcast = upcasterOf(eventType, version)!;
    payload = check(readSchema(eventType, version + 1)!, upcast(payload), `upcast ${eventType}`);
  }
  return { ...envelope.data, eventType, eventVersion: current, payload } as Envelope;
}

/** Decodes record bytes: not UTF-8 JSON or not a valid event is an InvalidEventError. */
export function decodeEnvelope(bytes: Buffer | null): Envelope {
  if (bytes === null) throw new InvalidEventError('record has no value');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new InvalidEventError(`record value is not UTF-8 JSON: ${(err as Error).message}`);
  }
  return parseEnvelope(json);
}

export interface EventOrigin {
  readonly correlationId: string;
  readonly causationId: string;
}

/** Builds a valid envelope; the payload is validated now, so a bad event never reaches the outbox. */
export function createEnvelope<T extends EventType>(
  eventType: T,
  aggregateId: string,
  payload: PayloadOf<T>,
  origin: EventOrigin,
  now: Date = new Date(),
): Envelope<T> {
  const envelope = {
    eventId: crypto.randomUUID(),
    eventType,
    eventVersion: currentVersionOf(eventType),
    occurredAt: now.toISOString(),
    aggregateId,
    correlationId: origin.correlationId,
    causationId: origin.causationId,
    payload,
  };
  const valid = EnvelopeSchema.safeParse(envelope);
  if (!valid.success) throw new InvalidEventError(`invalid envelope: ${summarize(valid.error)}`);
  check(writtenSchema(eventType, envelope.eventVersion), payload, eventType);
  return envelope;
}

/** The origin for events caused by this one: same correlation, caused by this event. */
export function causedBy(envelope: Envelope): EventOrigin {
  return { correlationId: envelope.correlationId, causationId: envelope.eventId };
}

export function topicOf(envelope: Envelope): string {
  return topicOfEvent(envelope.eventType);
}

function check(schema: z.ZodType, payload: unknown, what: string): unknown {
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    throw new InvalidEventError(`invalid ${what} payload: ${summarize(parsed.error)}`);
  return parsed.data;
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
