import type { KafkaMessage } from 'kafkajs';
import { decodeEnvelope, type Envelope } from '@shop/contracts';
import { UnhandledEventTypeError } from '../errors';
import type { EventSubscription } from './handlers';
import type { RecordOrigin } from './record-origin';

export interface ValidRecord {
  readonly message: KafkaMessage;
  readonly origin: RecordOrigin;
  readonly event: Envelope;
}

/** Not an event this consumer can apply: malformed, or of a type it has no handler for. */
export interface InvalidRecord {
  readonly message: KafkaMessage;
  readonly origin: RecordOrigin;
  readonly invalid: unknown;
}

export type DecodedRecord = ValidRecord | InvalidRecord;

export function decodeRecord(
  message: KafkaMessage,
  origin: RecordOrigin,
  subscription: EventSubscription,
  service: string,
): DecodedRecord {
  try {
    const event = decodeEnvelope(message.value);
    if (!subscription.handles(event.eventType)) {
      throw new UnhandledEventTypeError(`${service} has no handler for ${event.eventType}`);
    }
    return { message, origin, event };
  } catch (invalid) {
    return { message, origin, invalid };
  }
}
