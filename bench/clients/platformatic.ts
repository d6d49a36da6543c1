import { loadClient } from './native';
import type { ClientUnderTest } from './workload';

interface Message {
  readonly partition: number;
  readonly value: string;
  commit(): Promise<void>;
}

interface MessagesStream extends AsyncIterable<Message> {
  readonly readableLength: number;
}

interface PlatformaticModule {
  Producer: new (options: Record<string, unknown>) => {
    send(request: { messages: { topic: string; key: string; value: string }[] }): Promise<unknown>;
    close(): Promise<void>;
  };
  Consumer: new (options: Record<string, unknown>) => {
    consume(options: { topics: string[]; mode: string }): Promise<MessagesStream>;
    close(force?: boolean): Promise<void>;
  };
  ProduceAcks: { ALL: number };
  stringSerializers: unknown;
  stringDeserializers: unknown;
}

/** @platformatic/kafka (pure JavaScript; Node.js >= 22.22), through its own API. */
export function platformaticClient(brokers: string[]): ClientUnderTest {
  const kafka = loadClient('@platformatic/kafka') as PlatformaticModule;
  const common = { clientId: 'bench-clients', bootstrapBrokers: brokers };
  return {
    async producer(topic) {
      const producer = new kafka.Producer({
        ...common,
        idempotent: true,
        acks: kafka.ProduceAcks.ALL,
        serializers: kafka.stringSerializers,
      });
      return {
        send: async (records) =>
          void (await producer.send({ messages: records.map((r) => ({ topic, ...r })) })),
        close: () => producer.close(),
      };
    },

    async consume(topic, groupId, records, window) {
      const consumer = new kafka.Consumer({
        ...common,
        groupId,
        autocommit: false,
        maxWaitTime: 500,
        deserializers: kafka.stringDeserializers,
      });
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
      // The stream hands over one record at a time: a batch ends where the fetched records run
      // out, and then each partition's last record is committed, as the eachBatch clients do.
      const lastByPartition = new Map<number, Message>();
      let seen = 0;
      for await (const message of stream) {
        if (seen === 0) window.started();
        JSON.parse(message.value);
        lastByPartition.set(message.partition, message);
        if (++seen < records && stream.readableLength > 0) continue;
        await Promise.all([...lastByPartition.values()].map((m) => m.commit()));
        lastByPartition.clear();
        if (seen >= records) break;
      }
      window.finished();
      await consumer.close(true);
    },
  };
}
