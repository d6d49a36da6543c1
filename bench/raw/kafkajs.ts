import type { Kafka } from 'kafkajs';
import { orderCreatedRecord, secondsSince } from '../records';

export interface Rate {
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
}

export function rateOf(records: number, seconds: number): Rate {
  return { records, seconds, recordsPerSecond: records / seconds };
}

/** Plain kafkajs producer, idempotent acks=all, batches of 500: what the client itself can do. */
export async function rawProduce(kafka: Kafka, topic: string, records: number): Promise<Rate> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const started = process.hrtime.bigint();
    for (let i = 0; i < records; i += 500) {
      const messages = Array.from({ length: Math.min(500, records - i) }, orderCreatedRecord);
      await producer.send({ topic, acks: -1, messages });
    }
    return rateOf(records, secondsSince(started));
  } finally {
    await producer.disconnect();
  }
}

/** Plain kafkajs consumer group that parses each record and commits: the client's read ceiling. */
export async function rawConsume(
  kafka: Kafka,
  topic: string,
  groupId: string,
  records: number,
): Promise<Rate> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  let seen = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  // From the first record on: the group join is the same for every client and not throughput.
  let started: bigint | undefined;
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
      started ??= process.hrtime.bigint();
      for (const message of batch.messages) {
        JSON.parse(message.value!.toString());
        resolveOffset(message.offset);
        if (++seen === records) finish();
      }
      await commitOffsetsIfNecessary();
    },
  });
  await finished;
  const seconds = secondsSince(started!);
  await consumer.disconnect();
  return rateOf(records, seconds);
}
