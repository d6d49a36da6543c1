import type { Consumer, Kafka } from 'kafkajs';
import { PRIMARY_TOPICS, dlqTopicOf, parkingTopicOf } from '@shop/contracts';
import { deleteGroup, readDeadLetter, readerGroupId, type DeadLetter } from '@shop/messaging';
import type { Logger } from '@shop/observability';
import type { DeadLetterSource } from '../../application/ports';
import { deadLetterId, type DeadLetterRecord } from '../../domain/dead-letter';

/**
 * Every DLQ, read from its start and then followed, in a reader group of this console's own that
 * commits nothing: pages answer from memory at once, and a record dead-lettered again after a
 * replay shows up within a fetch. DLQs keep records until someone deletes them, and each holds
 * only the failures, so they fit in memory; the console's limits size that.
 */
export class DeadLetterFeed implements DeadLetterSource {
  private readonly letters = new Map<string, { record: DeadLetterRecord; letter: DeadLetter }>();
  private readonly groupId = readerGroupId('ops-console');
  private consumer: Consumer | undefined;
  /** Partition -> end offset at start; empty once everything that was there has been read. */
  private behind = new Map<string, bigint>();
  private started = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly topics: readonly string[] = PRIMARY_TOPICS.flatMap((t) => [
      dlqTopicOf(t.name),
      parkingTopicOf(t.name),
    ]),
  ) {}

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    let topics: string[];
    try {
      const existing = new Set(await admin.listTopics());
      topics = this.topics.filter((t) => existing.has(t));
      for (const topic of topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          if (BigInt(p.high) > BigInt(p.low))
            this.behind.set(`${topic}/${p.partition}`, BigInt(p.high));
        }
      }
    } finally {
      await admin.disconnect();
    }
    this.started = true;
    if (topics.length === 0) return;
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async (payload) => {
        const letter = readDeadLetter(payload);
        const record = toRecord(letter);
        this.letters.set(record.id, { record, letter });
        const key = `${payload.topic}/${payload.partition}`;
        const end = this.behind.get(key);
        if (end !== undefined && BigInt(payload.message.offset) + 1n >= end)
          this.behind.delete(key);
      },
    });
    this.logger.info({ topics: topics.length, groupId: this.groupId }, 'following the DLQs');
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    if (this.consumer) await deleteGroup(this.kafka, this.groupId);
  }

  all(): DeadLetterRecord[] {
    return [...this.letters.values()].map((l) => l.record);
  }

  caughtUp(): boolean {
    return this.started && this.behind.size === 0;
  }

  /** The record as read, headers and bytes untouched, for sending it back. */
  letterOf(id: string): DeadLetter | undefined {
    return this.letters.get(id)?.letter;
  }
}

function toRecord(d: DeadLetter): DeadLetterRecord {
  return {
    id: deadLetterId(d.dlqTopic, d.partition, d.offset),
    dlqTopic: d.dlqTopic,
    partition: d.partition,
    offset: d.offset,
    service: d.service,
    originalTopic: d.originalTopic,
    originalPartition: d.originalPartition,
    originalOffset: d.originalOffset,
    errorClass: d.errorClass,
    errorMessage: d.errorMessage,
    errorTimestamp: d.errorTimestamp,
    replayCount: d.replayCount,
    key: d.key?.toString('utf8') ?? null,
    value: d.value,
    headers: Object.entries(d.headers).flatMap(([name, v]) =>
      (Array.isArray(v) ? v : [v])
        .filter((x) => x !== undefined)
        .map((x) => [name, String(x)] as const),
    ),
  };
}
