import crypto from 'node:crypto';
import { z } from 'zod';
import { EVENT_PAYLOADS, isEventType, type EventType, type PayloadOf } from './events';
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
  readonly eventVersion: number;
  readonly occurredAt: string;
  readonly aggregateId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly payload: PayloadOf<T>;
}

export const CURRENT_EVENT_VERSION = 1;

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Checks an unknown value against the envelope and its event type's payload schema. */
export function parseEnvelope(value: unknown): Envelope {
  const envelope = EnvelopeSchema.safeParse(value);
  if (!envelope.success)
    throw new InvalidEventError(`invalid envelope: ${summarize(envelope.error)}`);
  const { eventType } = envelope.data;
  if (!isEventType(eventType)) throw new InvalidEventError(`unknown event type: ${eventType}`);
  const payload = EVENT_PAYLOADS[eventType].safeParse(envelope.data.payload);
  if (!payload.success) {
    throw new InvalidEventError(`invalid ${eventType} payload: ${summarize(payload.error)}`);
  }
  return { ...envelope.data, eventType, payload: payload.data } as Envelope;
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
    eventVersion: CURRENT_EVENT_VERSION,
    occurredAt: now.toISOString(),
    aggregateId,
    correlationId: origin.correlationId,
    causationId: origin.causationId,
    payload,
  };
  return parseEnvelope(envelope) as Envelope<T>;
}

/** The origin for events caused by this one: same correlation, caused by this event. */
export function causedBy(envelope: Envelope): EventOrigin {
  return { correlationId: envelope.correlationId, causationId: envelope.eventId };
}

export function topicOf(envelope: Envelope): string {
  return topicOfEvent(envelope.eventType);
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
