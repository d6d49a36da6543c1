import crypto from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import { PRIMARY_TOPICS, dlqTopicOf } from '@shop/contracts';
import { DLQ_HEADERS, DeadLetterStore, headerString } from '@shop/messaging';

export type PoisonKind = 'not-json' | 'wrong-schema' | 'huge' | 'wrong-headers';
const KINDS: readonly PoisonKind[] = ['not-json', 'wrong-schema', 'huge', 'wrong-headers'];

/** Big enough to dwarf any real event, small enough that its dead letter still fits a record. */
const HUGE_BYTES = 700 * 1024;

export interface PoisonRecord {
  readonly topic: string;
  readonly kind: PoisonKind;
  readonly key: string;
  readonly value: Buffer;
  readonly partition: number;
  readonly offset: string;
  /** Every service that consumes the topic must dead-letter it once. */
  readonly consumers: readonly string[];
}

function poisonOf(kind: PoisonKind, eventType: string): { value: Buffer; headers: IHeaders } {
  switch (kind) {
    case 'not-json':
      return {
        value: Buffer.concat([Buffer.from('{"eventId": '), crypto.randomBytes(64)]),
        headers: {},
      };
    case 'wrong-schema':
      return {
        value: Buffer.from(
          JSON.stringify({ eventId: 'not-a-uuid', eventType, payload: { orderId: 42 } }),
        ),
        headers: {},
      };
    case 'huge':
      return {
        value: Buffer.from(
          JSON.stringify({
            eventType,
            eventId: crypto.randomUUID(),
            payload: { junk: 'x'.repeat(HUGE_BYTES) },
          }),
        ),
        headers: {},
      };
    case 'wrong-headers':
      // Forged kit bookkeeping and bytes that are no UTF-8: the kit must report the record's real
      // origin in its own DLQ headers, not what the producer claimed.
      return {
        value: Buffer.from('{"not":"an envelope"}'),
        headers: {
          'event-type': 'NoSuchEvent',
          [DLQ_HEADERS.originalTopic]: 'somewhere-else',
          [DLQ_HEADERS.service]: 'nobody',
          'retry.attempt': '99',
          'retry.original.topic': 'somewhere-else',
          traceparent: crypto.randomBytes(16),
        },
      };
  }
}

/** Produces every kind of poison onto every consumed primary topic, straight to the brokers. */
export async function producePoison(kafka: Kafka, run: string): Promise<PoisonRecord[]> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const records: PoisonRecord[] = [];
  try {
    for (const spec of PRIMARY_TOPICS.filter((t) => t.consumers.length > 0)) {
      for (const kind of KINDS) {
        const key = `poison-${run}-${kind}-${spec.name}`;
        const { value, headers } = poisonOf(kind, spec.eventType);
        const [meta] = await producer.send({
          topic: spec.name,
          acks: -1,
          messages: [{ key, value, headers }],
        });
        records.push({
          topic: spec.name,
          kind,
          key,
          value,
          partition: meta!.partition,
          offset: meta!.baseOffset!,
          consumers: spec.consumers,
        });
      }
    }
  } finally {
    await producer.disconnect();
  }
  return records;
}

/**
 * Problems with where the poison ended up: each record must sit in `<topic>-dlq` once per
 * consuming service, byte for byte, with all eight DLQ headers naming its real origin.
 */
export async function checkPoisonInDlq(
  kafka: Kafka,
  poison: readonly PoisonRecord[],
): Promise<string[]> {
  if (poison.length === 0) return [];
  const letters = await new DeadLetterStore(kafka).list();
  const problems: string[] = [];
  for (const record of poison) {
    for (const service of record.consumers) {
      // By origin too: a redelivery (a rewound group) may dead-letter the same record again.
      const letter = letters.find(
        (l) =>
          l.key?.toString() === record.key &&
          l.service === service &&
          l.originalPartition === String(record.partition) &&
          l.originalOffset === record.offset,
      );
      const what = `${record.kind} on ${record.topic} for ${service}`;
      if (!letter) {
        problems.push(
          `${what} (${record.topic}/${record.partition}@${record.offset}): not in ${dlqTopicOf(record.topic)}`,
        );
        continue;
      }
      if (letter.dlqTopic !== dlqTopicOf(record.topic))
        problems.push(`${what}: in ${letter.dlqTopic}`);
      const missing = Object.values(DLQ_HEADERS).filter((h) => !headerString(letter.headers, h));
      if (missing.length > 0) problems.push(`${what}: DLQ headers missing: ${missing.join(', ')}`);
      if (
        letter.originalTopic !== record.topic ||
        letter.originalPartition !== String(record.partition) ||
        letter.originalOffset !== record.offset
      ) {
        problems.push(
          `${what}: DLQ says ${letter.originalTopic}/${letter.originalPartition}@${letter.originalOffset}, was ${record.topic}/${record.partition}@${record.offset}`,
        );
      }
      if (!letter.value || !letter.value.equals(record.value))
        problems.push(`${what}: value changed`);
    }
  }
  return problems;
}
