import {
  Partitioners,
  type Admin,
  type IHeaders,
  type Kafka,
  type Message,
  type PartitionMetadata,
  type Producer,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import { TransientError } from './errors';
import { compressionOf } from './kafka';
import type { MessagingSettings } from './settings';

/**
 * The guide's reliable producer: acks=all, idempotent, snappy. Sends go out one at a time,
 * because concurrent sends on one idempotent kafkajs producer can break its sequence numbers.
 *
 * kafkajs 2.2.4's retry of a multi-broker send skips every broker that answered an earlier attempt,
 * even when leadership moved between attempts: partitions that moved to such a broker are never
 * sent, yet the send resolves (records silently lost; seen after a full broker restart). So keyed
 * records are pinned to their partition here, and a send whose acknowledgements do not cover every
 * partition it wrote to fails: the caller resends the whole batch (duplicates drop by event id).
 */
export class ReliableProducer {
  private producer: Producer;
  private readonly admin: Admin;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitions = new Map<string, PartitionMetadata[]>();
  private queue: Promise<unknown> = Promise.resolve();
  /** A renewed session that has not connected yet. */
  private renewedUnconnected = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: MessagingSettings,
  ) {
    this.producer = this.newProducer();
    this.admin = kafka.admin();
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: this.settings.producer.retries },
      // The Java client's murmur2 partitioning: the same key lands where a JVM producer puts it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /**
   * A new idempotent session (new producer id, sequences from 0). kafkajs advances a partition's
   * sequence only on a clean acknowledgement: when a failed send had in fact been appended (its
   * answer lost as a broker died) and the caller resends a different batch, the broker answers
   * OUT_OF_ORDER_SEQUENCE_NUMBER to every later send, forever (seen in the chaos run: an outbox
   * relay stuck after the active controller was killed). Duplicates the new session may write
   * are dropped by event id, as for any resend. The new session connects on the next send: while
   * a broker is still away its connect can fail, and a producer left unconnected refused every
   * later send ("The producer is disconnected"; seen in the chaos run: inventory-service's relay
   * stuck for good after one broker was killed).
   */
  private async renewSession(): Promise<void> {
    const broken = this.producer;
    this.producer = this.newProducer();
    this.renewedUnconnected = true;
    await broken.disconnect().catch(() => undefined);
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    await this.admin.connect();
  }

  async disconnect(): Promise<void> {
    this.renewedUnconnected = false;
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  send(
    topic: string,
    message: { key: Buffer | string | null; value: Buffer | string | null; headers?: IHeaders },
  ): Promise<RecordMetadata[]> {
    return this.sendBatch([{ topic, messages: [message] }]);
  }

  sendBatch(topicMessages: TopicMessages[]): Promise<RecordMetadata[]> {
    const next = this.queue.then(() => this.sendCovered(topicMessages));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async sendCovered(topicMessages: TopicMessages[]): Promise<RecordMetadata[]> {
    if (this.renewedUnconnected) {
      await this.producer.connect();
      this.renewedUnconnected = false;
    }
    const expected = new Set<string>();
    const pinned: TopicMessages[] = [];
    for (const { topic, messages } of topicMessages) {
      const partitionMetadata = await this.partitionsOf(topic);
      pinned.push({
        topic,
        messages: messages.map((message: Message) => {
          if (message.key === null || message.key === undefined || message.partition !== undefined)
            return message;
          const partition = this.partitioner({ topic, partitionMetadata, message });
          expected.add(`${topic}/${partition}`);
          return { ...message, partition };
        }),
      });
    }
    try {
      const acknowledged = await this.producer.sendBatch({
        topicMessages: pinned,
        acks: -1,
        compression: compressionOf(this.settings),
      });
      const covered = new Set(acknowledged.map((r) => `${r.topicName}/${r.partition}`));
      const missing = [...expected].filter((p) => !covered.has(p));
      if (missing.length > 0) {
        throw new TransientError(
          `the send was not acknowledged for ${missing.join(', ')}; resend the batch`,
        );
      }
      return acknowledged;
    } catch (err) {
      for (const { topic } of topicMessages) this.partitions.delete(topic);
      if (breaksIdempotentSession(err)) {
        await this.renewSession();
        throw new TransientError('the idempotent producer session was renewed; resend the batch', {
          cause: err,
        });
      }
      throw err;
    }
  }

  private async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    let known = this.partitions.get(topic);
    if (!known) {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
      known = topics[0]?.partitions ?? [];
      if (known.length === 0) throw new TransientError(`no partitions known for ${topic}`);
      this.partitions.set(topic, known);
    }
    return known;
  }
}

const SESSION_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

/** The broker no longer accepts this producer id's sequence: only a new session gets through. */
function breaksIdempotentSession(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error;) {
    if (SESSION_ERRORS.has((e as { type?: string }).type ?? '')) return true;
    e =
      (e as { cause?: unknown; originalError?: unknown }).cause ??
      (e as { originalError?: unknown }).originalError;
  }
  return false;
}
