import crypto from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { TOOL_READER_GROUP_PREFIX } from '@shop/contracts';

export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** Offsets `from` (inclusive) to `to` (exclusive) of one partition. */
export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  readonly from: bigint;
  readonly to: bigint;
}

const READ_TIMEOUT_MS = 60_000;

/** A throwaway reader group's name, inside the prefix the operator's ACLs allow. */
export function readerGroupId(purpose = 'tool'): string {
  return `${TOOL_READER_GROUP_PREFIX}${purpose}-${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Reads topics from their start to the end they had when called, with a throwaway group that is
 * deleted afterwards, so operator tools never move a service's offsets.
 */
export async function readToEnd(kafka: Kafka, topics: string[]): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ranges: OffsetRange[] = [];
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        ranges.push({ topic, partition: p.partition, from: BigInt(p.low), to: BigInt(p.high) });
      }
    }
  } finally {
    await admin.disconnect();
  }
  return readRanges(kafka, ranges);
}

/**
 * Reads exactly the given offset ranges, and nothing else of their topics: the reader starts at
 * the end of every partition and is moved back only where a range begins, so a range near the end
 * of a long topic costs what the range holds, not the topic.
 */
export async function readRanges(
  kafka: Kafka,
  ranges: readonly OffsetRange[],
): Promise<ReadRecord[]> {
  const wanted = new Map(
    ranges.filter((r) => r.to > r.from).map((r) => [`${r.topic}/${r.partition}`, r]),
  );
  if (wanted.size === 0) return [];
  const topics = [...new Set([...wanted.values()].map((r) => r.topic))];
  const groupId = readerGroupId();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  const open = new Set(wanted.keys());
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error('timed out reading the requested offsets')),
        READ_TIMEOUT_MS,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}/${partition}`;
            const range = wanted.get(key);
            const offset = BigInt(message.offset);
            if (!range || offset < range.from || offset >= range.to) return;
            records.push({ topic, partition, message });
            if (offset + 1n >= range.to) open.delete(key);
            if (open.size === 0) {
              clearTimeout(timeout);
              resolve();
            }
          },
        })
        .then(() => {
          for (const r of wanted.values())
            consumer.seek({ topic: r.topic, partition: r.partition, offset: r.from.toString() });
        }, reject);
    });
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
  return records.sort(
    (a, b) =>
      a.topic.localeCompare(b.topic) ||
      a.partition - b.partition ||
      Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
  );
}

/** Removes a reader's group; one left behind by a failure expires with the broker's retention. */
export async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
