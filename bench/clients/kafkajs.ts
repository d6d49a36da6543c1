import { Kafka, logLevel } from 'kafkajs';
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
      let seen = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 3,
        eachBatch: async ({ batch }) => {
          if (seen === 0) window.started();
          for (const message of batch.messages) JSON.parse(message.value!.toString());
          seen += batch.messages.length;
          const last = batch.messages.at(-1);
          if (!last) return;
          await consumer.commitOffsets([
            { topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) },
          ]);
          if (seen >= records) done();
        },
      });
      await finished;
      window.finished();
      await consumer.disconnect();
    },
  };
}
