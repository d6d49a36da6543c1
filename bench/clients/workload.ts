/** What the parent asks one worker process to do, and what the worker reports back over IPC. */

export type ClientName = 'kafkajs' | 'confluent' | 'platformatic';

export type Task =
  | {
      readonly kind: 'produce';
      readonly topic: string;
      readonly records: number;
      readonly perSend: number;
    }
  | {
      readonly kind: 'consume';
      readonly topic: string;
      readonly records: number;
      readonly groupId: string;
    }
  /** A connected producer and a consumer group with nothing to do, for `seconds`. */
  | {
      readonly kind: 'idle';
      readonly topic: string;
      readonly groupId: string;
      readonly seconds: number;
    };

export interface WorkerRequest {
  readonly client: ClientName;
  readonly brokers: string[];
  readonly task: Task;
}

/** CPU of the worker's whole process (every thread: librdkafka's too) over the measured window. */
export interface WorkerResult {
  readonly records: number;
  readonly seconds: number;
  readonly cpuMs: number;
}

export type WorkerMessage =
  { readonly kind: 'started' } | { readonly kind: 'finished'; readonly result: WorkerResult };

export interface KafkaRecord {
  readonly key: string;
  readonly value: string;
}

/**
 * The measured window: a client calls `started` once it is connected (the producer) or holds
 * its first record (the consumer: the group join is not throughput), and `finished` once the
 * last record is acknowledged or its offset committed.
 */
export interface Window {
  started(): void;
  finished(): void;
}

/** An idempotent acks=all producer, connected. */
export interface OpenProducer {
  /** One awaited send call: resolves once every record is acknowledged. */
  send(records: readonly KafkaRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface ClientUnderTest {
  /** `perSend`: records per send call the worker will make (1 = the relay's single sends). */
  producer(topic: string, perSend: number): Promise<OpenProducer>;
  /** A consumer group from the earliest offset: parse each record, commit after each batch. */
  consume(topic: string, groupId: string, records: number, window: Window): Promise<void>;
}
