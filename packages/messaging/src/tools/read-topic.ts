import crypto from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Reads topics from their start to the end they had when called, with a throwaway group that is
 * deleted afterwards, so operator tools never move a service's offsets.
 */
export async function readToEnd(kafka: Kafka, topics: string[]): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
    if (ends.size === 0) return [];

    const groupId = `tool-reader-${crypto.randomBytes(4).toString('hex')}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    const records: ReadRecord[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(
          () => reject(new Error('timed out reading to the end of the topics')),
          60_000,
        );
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}/${partition}`;
            const end = ends.get(key);
            if (end === undefined || BigInt(message.offset) >= end) return;
            records.push({ topic, partition, message });
            if (BigInt(message.offset) + 1n >= end) ends.delete(key);
            if (ends.size === 0) {
              clearTimeout(timeout);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records.sort((a, b) =>
      a.topic === b.topic
        ? a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset))
        : a.topic.localeCompare(b.topic),
    );
  } finally {
    await admin.disconnect();
  }
}
