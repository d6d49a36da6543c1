import fs from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { parseAllDocuments } from 'yaml';
import { asyncApiDocument, KAFKA_DEPLOYMENT } from './asyncapi';
import { generatedFiles } from './cli';
import { DLQ_HEADERS } from './headers';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('the AsyncAPI document', () => {
  it('is committed as npm run contracts generates it, with its rendering in docs/events.md', () => {
    for (const [file, content] of Object.entries(generatedFiles())) {
      expect({ file, content: fs.readFileSync(path.join(ROOT, file), 'utf8') }).toEqual({
        file,
        content,
      });
    }
  });

  it('parses and validates with @asyncapi/parser, with no errors', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument()));
    const errors = diagnostics.filter((d) => d.severity === 0);
    const warnings = diagnostics.filter((d) => d.severity === 1);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    // The parser's advice, kept visible: a new warning shows here as a diff.
    expect(warnings.map((d) => `${d.code}: ${d.path.join('.')}`)).toEqual([]);
    expect(
      document
        ?.channels()
        .get('order-cancelled')
        ?.messages()
        .all()
        .map((m) => m.id()),
    ).toEqual(['OrderCancelled.v1', 'OrderCancelled.v2', 'OrderCancelled.v3']);
  });

  it('says who writes and who reads each topic, and producers write only the newest version', () => {
    const operations = asyncApiDocument().operations as Record<
      string,
      { messages: { $ref: string }[] }
    >;
    expect(operations['order-service.send.order-cancelled']?.messages).toEqual([
      { $ref: '#/channels/order-cancelled/messages/OrderCancelled.v3' },
    ]);
    expect(Object.keys(operations).filter((id) => id.endsWith('.receive.order-cancelled'))).toEqual(
      [
        'inventory-service.receive.order-cancelled',
        'payment-service.receive.order-cancelled',
        'notification-service.receive.order-cancelled',
      ],
    );
    expect(operations['payment-service.receive.order-cancelled']?.messages).toHaveLength(3);
  });

  it('gives dead letters their dlq.* headers', () => {
    const messages = (
      asyncApiDocument().components as {
        messages: Record<string, { headers: { required: string[] } }>;
      }
    ).messages;
    expect(messages['OrderCancelled.v2.dead-letter']?.headers.required).toEqual(
      Object.values(DLQ_HEADERS),
    );
    expect(messages['OrderCancelled.v2']?.headers.required).toEqual(['event-type']);
  });

  it('describes the topics and the listener cdk8s deploys', () => {
    const manifests = (file: string) =>
      parseAllDocuments(fs.readFileSync(path.join(ROOT, 'k8s/strimzi', file), 'utf8')).map(
        (d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, any> }, // eslint-disable-line @typescript-eslint/no-explicit-any
      );
    const topics = manifests('kafka-topics.yaml').filter((m) => m.kind === 'KafkaTopic');
    const channels = asyncApiDocument().channels as Record<
      string,
      { bindings: { kafka: Record<string, unknown> } }
    >;
    expect(topics.map((t) => t.metadata.name).sort()).toEqual(Object.keys(channels).sort());
    for (const t of topics) {
      expect(channels[t.metadata.name]?.bindings.kafka).toMatchObject({
        partitions: t.spec.partitions,
        replicas: t.spec.replicas,
        topicConfiguration: { 'retention.ms': t.spec.config['retention.ms'] },
      });
    }
    const cluster = manifests('kafka-cluster.yaml').find((m) => m.kind === 'Kafka')!;
    const listener = (cluster.spec.kafka.listeners as Record<string, unknown>[])[0];
    expect(listener).toMatchObject({ tls: true, authentication: { type: 'scram-sha-512' } });
    expect(KAFKA_DEPLOYMENT.bootstrap).toBe(
      `${cluster.metadata.name}-kafka-bootstrap.${(cluster.metadata as { namespace?: string }).namespace}.svc:${String(listener!.port)}`,
    );
  });
});
