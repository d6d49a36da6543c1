import { committingBatches, type Batch } from './committing-batches';
import { loadClient } from './native';
import type { ClientUnderTest, KafkaRecord } from './workload';

/**
 * librdkafka's settings for each workload, reported with the figures. An awaited single send
 * waits out linger.ms before librdkafka sends its batch, so MIGRATION.md asks for 0 there; for
 * 500 records per send the default 5 ms lets librdkafka fill its batches (batch.size 1 MB and
 * batch.num.messages 10,000, both left at their defaults). eachBatch hands over at most
 * js.consumer.max.batch.size records (default 32): -1 hands over what has been fetched, as
 * kafkajs does, so both commit once per fetched batch.
 */
export const CONFLUENT_SETTINGS = {
  lingerMsSingle: 0,
  lingerMsBatched: 5,
  consumerMaxBatchSize: -1,
} as const;

interface Producer {
  connect(): Promise<void>;
  send(request: { topic: string; messages: KafkaRecord[] }): Promise<unknown>;
  disconnect(): Promise<void>;
}

interface Consumer {
  connect(): Promise<void>;
  subscribe(request: { topics: string[] }): Promise<void>;
  run(config: {
    partitionsConsumedConcurrently: number;
    eachBatch: (payload: { batch: Batch }) => Promise<void>;
  }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  disconnect(): Promise<void>;
}

interface Kafka {
  producer(config: Record<string, unknown>): Producer;
  consumer(config: Record<string, unknown>): Consumer;
}

interface ConfluentModule {
  KafkaJS: { Kafka: new (config: Record<string, unknown>) => Kafka; logLevel: { NOTHING: number } };
}

/** @confluentinc/kafka-javascript through its KafkaJS-compatible API. */
export function confluentClient(brokers: string[]): ClientUnderTest {
  const { KafkaJS } = loadClient('@confluentinc/kafka-javascript') as ConfluentModule;
  const kafka = new KafkaJS.Kafka({
    kafkaJS: { clientId: 'bench-clients', brokers, logLevel: KafkaJS.logLevel.NOTHING },
  });
  return {
    async producer(topic, perSend) {
      const producer = kafka.producer({
        kafkaJS: { idempotent: true, acks: -1 },
        'linger.ms':
          perSend === 1 ? CONFLUENT_SETTINGS.lingerMsSingle : CONFLUENT_SETTINGS.lingerMsBatched,
      });
      await producer.connect();
      return {
        send: async (messages) => void (await producer.send({ topic, messages: [...messages] })),
        close: () => producer.disconnect(),
      };
    },

    async consume(topic, groupId, records, window) {
      const consumer = kafka.consumer({
        kafkaJS: { groupId, fromBeginning: true, autoCommit: false, maxWaitTimeInMs: 500 },
        'js.consumer.max.batch.size': CONFLUENT_SETTINGS.consumerMaxBatchSize,
      });
      const { eachBatch, finished } = committingBatches(topic, records, window, (offsets) =>
        consumer.commitOffsets(offsets),
      );
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachBatch,
      });
      await finished;
      window.finished();
      await consumer.disconnect();
    },
  };
}
