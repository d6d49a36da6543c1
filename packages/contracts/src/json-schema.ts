import { z } from 'zod';
import { writtenSchema, type EventType } from './events';

export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The JSON Schema of one version of an event's payload, as a writer must produce it. Input mode:
 * a field with a default is optional on the wire. Draft 7, the dialect AsyncAPI schemas extend.
 */
export function payloadJsonSchema(eventType: EventType, version: number): JsonSchema {
  return z.toJSONSchema(writtenSchema(eventType, version), { io: 'input', target: 'draft-7' });
}
