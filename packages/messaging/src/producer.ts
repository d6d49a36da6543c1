import {
  Partitioners,
  type IHeaders,
  type Kafka,
  type Producer,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import { compressionOf } from './kafka';
import type { MessagingSettings } from './settings';

/**
 * The guide's reliable producer: acks=all, idempotent, snappy. Sends go out one at a time,
 * because concurrent sends on one idempotent kafkajs producer can break its sequence numbers.
 */
export class ReliableProducer {
  private readonly producer: Producer;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    kafka: Kafka,
    private readonly settings: MessagingSettings,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioning: the same key lands where a JVM producer puts it.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: settings.producer.retries },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  send(
    topic: string,
    message: { key: Buffer | string | null; value: Buffer | string | null; headers?: IHeaders },
  ): Promise<RecordMetadata[]> {
    return this.sendBatch([{ topic, messages: [message] }]);
  }

  sendBatch(topicMessages: TopicMessages[]): Promise<RecordMetadata[]> {
    const next = this.queue.then(() =>
      this.producer.sendBatch({
        topicMessages,
        acks: -1,
        compression: compressionOf(this.settings),
      }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }
}
