import { Kafka, logLevel } from 'kafkajs';
import { committingBatches } from './committing-batches';
import type { ClientUnderTest } from './workload';

/** The design's client, configured as bench/raw/kafkajs.ts and the kit's ReliableProducer are. */
export function kafkajsClient(brokers: string[]): ClientUnderTest {
  const kafka = new Kafka({ clientId: 'bench-clients', brokers, logLevel: logLevel.NOTHING });
  return {
    async producer(topic) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return {
        send: async (messages) =>
          void (await producer.send({ topic, acks: -1, messages: [...messages] })),
        close: () => producer.disconnect(),
      };
    },

    async consume(topic, groupId, records, window) {
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
      const { eachBatch, finished } = committingBatches(topic, records, window, (offsets) =>
        consumer.commitOffsets(offsets),
      );
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 3,
        eachBatch,
      });
      await finished;
      window.finished();
      await consumer.disconnect();
    },
  };
}
