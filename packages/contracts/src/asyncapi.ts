import { z } from 'zod';
import { EnvelopeSchema } from './envelope';
import { currentVersionOf, versionsOf, type EventType } from './events';
import { DLQ_HEADERS, EVENT_TYPE_HEADER, RETRY_HEADERS } from './headers';
import { payloadJsonSchema, type JsonSchema } from './json-schema';
import { consumerGroupOf, type ServiceName } from './services';
import {
  PRIMARY_TOPICS,
  RETRY_TIERS,
  TOPIC_RETENTION_MS,
  dlqTopicOf,
  parkingTopicOf,
  retryTopicOf,
  type TopicRole,
  type TopicSpec,
} from './topics';

/** Where the catalog is deployed: the Strimzi cluster cdk8s generates (asyncapi.test.ts checks). */
export const KAFKA_DEPLOYMENT = {
  bootstrap: 'shop-kafka-kafka-bootstrap.shop.svc:9093',
  partitions: 6,
  replicas: 3,
} as const;

const BINDING_VERSION = '0.5.0';
type Variant = 'primary' | 'retry' | 'dead-letter';

/** The whole system's event contract as one AsyncAPI 3 document, from the catalog alone. */
export function asyncApiDocument(): JsonSchema {
  const consumers = [...new Set(PRIMARY_TOPICS.flatMap((t) => t.consumers))].sort();
  const retryChannels = consumers.flatMap((service) =>
    Array.from({ length: RETRY_TIERS }, (_, i) => retryChannel(service, i + 1)),
  );
  const channels = [
    ...PRIMARY_TOPICS.map((t) => primaryChannel(t)),
    ...PRIMARY_TOPICS.map((t) => deadLetterChannel(t)),
    ...PRIMARY_TOPICS.map((t) => parkingChannel(t)),
    ...retryChannels,
  ];
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'kafka-shop events',
      version: '1.0.0',
      description:
        'Every event of the order saga: its topics, payload schemas per version, who writes and who reads it. ' +
        'Generated from packages/contracts by `npm run contracts`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: KAFKA_DEPLOYMENT.bootstrap,
        protocol: 'kafka-secure',
        description:
          'The Strimzi cluster: TLS listener, one SCRAM-SHA-512 user per service, ACLs derived from this catalog.',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
        bindings: { kafka: { bindingVersion: BINDING_VERSION } },
      },
    },
    channels: Object.fromEntries(channels.map((c) => [c.id, c.channel])),
    operations: Object.fromEntries(channels.flatMap((c) => c.operations)),
    components: {
      securitySchemes: {
        scram: {
          type: 'scramSha512',
          description: 'SCRAM-SHA-512 over TLS; each service has its own KafkaUser.',
        },
      },
      messages: Object.fromEntries(
        PRIMARY_TOPICS.flatMap((t) =>
          versionsOf(t.eventType).flatMap((v) =>
            (['primary', 'retry', 'dead-letter'] as const).map((variant) => [
              messageId(t.eventType, v, variant),
              message(t.eventType, v, variant),
            ]),
          ),
        ),
      ),
    },
  };
}

interface GeneratedChannel {
  readonly id: string;
  readonly channel: JsonSchema;
  readonly operations: [string, JsonSchema][];
}

function primaryChannel(t: TopicSpec): GeneratedChannel {
  const messages = versionsOf(t.eventType).map((v) => messageId(t.eventType, v, 'primary'));
  const current = messageId(t.eventType, currentVersionOf(t.eventType), 'primary');
  return {
    id: t.name,
    channel: channel(t.name, 'primary', messages, `${t.eventType}, written by ${t.producer}.`),
    operations: [
      operation(t.producer, 'send', t.name, [current], `${t.producer} publishes ${t.eventType}.`),
      ...t.consumers.map((service) =>
        operation(service, 'receive', t.name, messages, `${service} reacts to ${t.eventType}.`),
      ),
    ],
  };
}

function deadLetterChannel(t: TopicSpec): GeneratedChannel {
  const name = dlqTopicOf(t.name);
  const messages = versionsOf(t.eventType).map((v) => messageId(t.eventType, v, 'dead-letter'));
  return {
    id: name,
    channel: channel(
      name,
      'dlq',
      messages,
      `Records of ${t.name} that a consumer could not process, unchanged, with dlq.* headers saying why. ` +
        'A record that is not a valid event lands here too, so a reader must not trust the payload. ' +
        'Replayed to the original topic by `npm run dlq -- replay`.',
    ),
    operations: t.consumers.map((service) =>
      operation(service, 'send', name, messages, `${service} dead-letters ${t.eventType}.`),
    ),
  };
}

function parkingChannel(t: TopicSpec): GeneratedChannel {
  const name = parkingTopicOf(t.name);
  const messages = versionsOf(t.eventType).map((v) => messageId(t.eventType, v, 'dead-letter'));
  return {
    id: name,
    channel: channel(
      name,
      'parking',
      messages,
      `Dead letters of ${t.name} that failed again after the replays allowed (DLQ_MAX_REPLAYS), ` +
        'with the same dlq.* headers and their replay.count: kept for a person, never replayed by the tools.',
    ),
    operations: t.consumers.map((service) =>
      operation(service, 'send', name, messages, `${service} parks ${t.eventType}.`),
    ),
  };
}

function retryChannel(service: ServiceName, tier: number): GeneratedChannel {
  const name = retryTopicOf(service, tier);
  const topics = PRIMARY_TOPICS.filter((t) => t.consumers.includes(service));
  const messages = topics.flatMap((t) =>
    versionsOf(t.eventType).map((v) => messageId(t.eventType, v, 'retry')),
  );
  return {
    id: name,
    channel: channel(
      name,
      'retry',
      messages,
      `${service}'s retry tier ${tier}: records it failed on, waiting out their backoff; no other service reads it.`,
    ),
    operations: [
      operation(service, 'send', name, messages, `${service} defers a record to tier ${tier}.`),
      operation(service, 'receive', name, messages, `${service} retries after the backoff.`),
    ],
  };
}

function channel(address: string, role: TopicRole, messages: string[], description: string) {
  return {
    address,
    description,
    messages: Object.fromEntries(
      messages.map((id) => [id, { $ref: `#/components/messages/${id}` }]),
    ),
    bindings: {
      kafka: {
        topic: address,
        partitions: KAFKA_DEPLOYMENT.partitions,
        replicas: KAFKA_DEPLOYMENT.replicas,
        topicConfiguration: { 'retention.ms': TOPIC_RETENTION_MS[role] },
        bindingVersion: BINDING_VERSION,
      },
    },
  };
}

function operation(
  service: ServiceName,
  action: 'send' | 'receive',
  channelId: string,
  messages: string[],
  summary: string,
): [string, JsonSchema] {
  return [
    `${service}.${action}.${channelId}`,
    {
      action,
      channel: { $ref: `#/channels/${channelId}` },
      summary,
      tags: [{ name: service }],
      messages: messages.map((id) => ({ $ref: `#/channels/${channelId}/messages/${id}` })),
      ...(action === 'receive'
        ? {
            bindings: {
              kafka: {
                groupId: { type: 'string', enum: [consumerGroupOf(service)] },
                bindingVersion: BINDING_VERSION,
              },
            },
          }
        : {}),
    },
  ];
}

function messageId(eventType: EventType, version: number, variant: Variant): string {
  return variant === 'primary' ? `${eventType}.v${version}` : `${eventType}.v${version}.${variant}`;
}

function message(eventType: EventType, version: number, variant: Variant): JsonSchema {
  const current = currentVersionOf(eventType);
  const status =
    version === current
      ? 'written by the producer today'
      : `no longer written; consumers read it and upcast it to v${current}`;
  return {
    name: eventType,
    title: `${eventType} v${version}${variant === 'primary' ? '' : ` (${variant})`}`,
    summary: `${eventType} version ${version}: ${status}.`,
    contentType: 'application/json',
    headers: headersOf(eventType, variant),
    payload: envelopeOf(eventType, version),
    bindings: {
      kafka: {
        key: {
          type: 'string',
          description: 'The aggregate id (the order id): one order, one partition.',
        },
        bindingVersion: BINDING_VERSION,
      },
    },
  };
}

function envelopeOf(eventType: EventType, version: number): JsonSchema {
  const { $schema: _, ...envelope } = z.toJSONSchema(EnvelopeSchema, { target: 'draft-7' });
  const { $schema: __, ...payload } = payloadJsonSchema(eventType, version);
  const properties = envelope.properties as Record<string, JsonSchema>;
  return {
    ...envelope,
    description: 'The event envelope; the payload is the schema of this event type and version.',
    properties: {
      ...properties,
      eventType: { type: 'string', const: eventType },
      eventVersion: { type: 'integer', const: version },
      payload,
    },
  };
}

function headersOf(eventType: EventType, variant: Variant): JsonSchema {
  const own = {
    [EVENT_TYPE_HEADER]: { type: 'string', const: eventType },
    traceparent: { type: 'string', description: 'W3C trace context of the publish.' },
  };
  const kit =
    variant === 'retry' ? RETRY_HEADER_DOCS : variant === 'dead-letter' ? DLQ_HEADER_DOCS : {};
  // A dead letter may be bytes that never were an event, with no event-type header at all.
  const required = variant === 'dead-letter' ? [] : [EVENT_TYPE_HEADER];
  return {
    type: 'object',
    properties: { ...own, ...kit },
    required: [...required, ...Object.keys(kit)],
  };
}

const text = (description: string) => ({ type: 'string', description });

const DLQ_HEADER_DOCS: Record<string, JsonSchema> = {
  [DLQ_HEADERS.service]: text('The service whose consumer gave up on the record.'),
  [DLQ_HEADERS.originalTopic]: text('The primary topic the record was read from.'),
  [DLQ_HEADERS.originalPartition]: text('Its partition there, in decimal.'),
  [DLQ_HEADERS.originalOffset]: text('Its offset there, in decimal.'),
  [DLQ_HEADERS.errorTimestamp]: text('When it failed for the last time (ISO-8601).'),
  [DLQ_HEADERS.errorClass]: text('The error class, e.g. InvalidEventError.'),
  [DLQ_HEADERS.errorMessage]: text('What was wrong, readable without opening the record.'),
  [DLQ_HEADERS.errorStacktrace]: text('The stack trace, empty when there was none.'),
};

const RETRY_HEADER_DOCS: Record<string, JsonSchema> = {
  [RETRY_HEADERS.attempt]: text('The retry tier this record is in (1-based).'),
  [RETRY_HEADERS.originalTopic]: text('The primary topic the record came from.'),
  [RETRY_HEADERS.originalPartition]: text('Its partition there, in decimal.'),
  [RETRY_HEADERS.originalOffset]: text('Its offset there, in decimal.'),
  [RETRY_HEADERS.notBefore]: text('Epoch milliseconds before which the record is not retried.'),
  [RETRY_HEADERS.errorClass]: text('The error class of the last failure.'),
  [RETRY_HEADERS.errorMessage]: text('The message of the last failure.'),
};
