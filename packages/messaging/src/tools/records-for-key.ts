import { Partitioners, type Kafka, type PartitionMetadata } from 'kafkajs';
import { readRanges, type OffsetRange, type ReadRecord } from './read-topic';

export interface RecordsForKeyOptions {
  /** Records written before this are not read (the broker's offset-by-timestamp index). */
  readonly since: Date;
  /** At most this many records are read per topic, the newest ones; the rest is reported cut. */
  readonly maxPerTopic: number;
}

export interface RecordsForKey {
  readonly records: ReadRecord[];
  /** Topics where more records lay in the window than were read. */
  readonly cut: string[];
}

// Producers place records with kafkajs' default (Java-compatible murmur2) partitioner, so the same
// function names the one partition of each topic that can hold a key.
const partitionerOf = Partitioners.DefaultPartitioner();

function partitionOfKey(
  topic: string,
  key: string,
  partitions: readonly PartitionMetadata[],
): number {
  return partitionerOf({
    topic,
    partitionMetadata: [...partitions],
    message: { key, value: null },
  });
}

/**
 * Every record with one key on the given topics since a time: a bounded read of the one partition
 * per topic the key hashes to, from the offset the broker's time index gives for `since`.
 */
export async function recordsForKey(
  kafka: Kafka,
  topics: readonly string[],
  key: string,
  options: RecordsForKeyOptions,
): Promise<RecordsForKey> {
  const admin = kafka.admin();
  await admin.connect();
  const ranges: OffsetRange[] = [];
  const cut: string[] = [];
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length === 0) return { records: [], cut };
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: present });
    for (const { name: topic, partitions } of metadata) {
      const partition = partitionOfKey(topic, key, partitions);
      const end = (await admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition);
      const start = (await admin.fetchTopicOffsetsByTimestamp(topic, options.since.getTime())).find(
        (p) => p.partition === partition,
      );
      if (!end || !start) continue;
      const to = BigInt(end.high);
      // -1: nothing was written since `since`.
      let from = BigInt(start.offset) < 0n ? to : BigInt(start.offset);
      if (from < BigInt(end.low)) from = BigInt(end.low);
      if (to - from > BigInt(options.maxPerTopic)) {
        from = to - BigInt(options.maxPerTopic);
        cut.push(topic);
      }
      ranges.push({ topic, partition, from, to });
    }
  } finally {
    await admin.disconnect();
  }
  const records = (await readRanges(kafka, ranges)).filter(
    ({ message }) => message.key?.toString('utf8') === key,
  );
  return { records, cut };
}
