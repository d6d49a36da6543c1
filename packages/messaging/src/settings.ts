import { z } from 'zod';
import { RETRY_TIERS } from '@shop/contracts';

/**
 * The kit's settings, with the guide's values as defaults (packages/messaging/README.md, "Kafka settings").
 * Services parse their environment into this once and pass it down.
 */
export const MessagingSettingsSchema = z.object({
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1),
  /** TLS and SASL/SCRAM, as a Strimzi listener with `authentication: scram-sha-512` asks for. */
  security: z
    .object({
      /** PEM of the cluster CA; TLS is on when given. */
      caCertificate: z.string().min(1).optional(),
      sasl: z
        .object({
          mechanism: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']),
          username: z.string().min(1),
          password: z.string().min(1),
        })
        .optional(),
    })
    .default({}),
  /**
   * kafkajs' back-off between attempts of one request (metadata, fetch, join, connect). Its own
   * defaults grow from 300 ms to 30 s: a consumer that met a dead broker gave up after ~9 s of
   * attempts, crashed, and waited ~8 s more before it restarted and rejoined its group (chaos
   * run). Capped at 1 s, it keeps asking about as often as leadership can move.
   */
  retryBackoff: z
    .object({
      initialMs: z.number().int().positive().default(100),
      maxMs: z.number().int().positive().default(1_000),
    })
    .prefault({}),
  consumer: z
    .object({
      /**
       * 10 s, not the guide's 30 s (heartbeat 1 s, not 3 s). kafkajs gives up on a consumer that
       * kept failing against a dead broker and restarts it as a new group member; the group then
       * waits out the old member's session before anyone consumes again: 21-23 s with 30 s (chaos
       * run, SIGKILL of a broker). The cost: a member that cannot heartbeat for 10 s (a chunk held
       * that long, a stalled process) is evicted, and its records are read again by the next
       * member (processed_events turns them into skips).
       */
      sessionTimeoutMs: z.number().int().positive().default(10_000),
      /**
       * Attempts of a failing fetch or group request before the consumer restarts itself: with
       * the back-off capped at 1 s, about 30 s, longer than a broker takes to be fenced or to
       * come back, so a fail-over rarely costs a restart (and a new membership, see above).
       */
      retries: z.number().int().nonnegative().default(30),
      /**
       * How old the partition leaders a consumer fetches from may get. kafkajs refreshes them on
       * some errors but not when a leader's connection is refused or reset: with its 5 min default
       * a consumer kept fetching from a dead broker long after its partitions had new leaders, ran
       * out of attempts and restarted as a new group member (chaos run). One metadata request a
       * second is the price.
       */
      metadataMaxAgeMs: z.number().int().positive().default(1_000),
      heartbeatIntervalMs: z.number().int().positive().default(1_000),
      /** The guide's concurrency 3: partitions consumed at once; one partition stays in order. */
      partitionsConsumedConcurrently: z.number().int().min(1).max(64).default(3),
      /** The guide's max-poll-records 10: offsets are committed at least every this many records. */
      commitEveryRecords: z.number().int().min(1).default(10),
      /**
       * Throughput lever (issue 15): when above 0, offsets are committed at most this often (by
       * time, whatever the record count, all partitions in one request) instead of every
       * `commitEveryRecords` records and at the end of every batch; 0 is that baseline. Offsets
       * owed are still committed before a rebalance or a stop, and on a quiet partition by a timer.
       * Off (0) by default: a commit made outside a batch goes through kafkajs's offset manager,
       * which keeps its group coordinator after a NOT_COORDINATOR answer until the member rejoins;
       * after network resets a quiet payment-service retried the same refused commit every second
       * and its lag of 2,881 records never cleared (chaos run). Inside a batch, as with 0, a
       * refused commit fails the batch and kafkajs rejoins.
       */
      commitIntervalMs: z.number().int().nonnegative().default(0),
      /**
       * Throughput lever (issue 15): a chunk of one record runs straight in its transaction and,
       * only if it fails, again in a savepoint for its three-tier outcome (false); or in a
       * savepoint from the start (true, the baseline), two statements more per record.
       */
      savepointForSingleRecord: z.boolean().default(false),
      /**
       * Records applied in one database transaction: one commit per chunk instead of per record
       * (measured: 9.9k -> 17k -> 24k records/s at 32, 100, 250 with a no-op handler).
       */
      recordsPerTransaction: z.number().int().min(1).max(1000).default(100),
      /** Backoff of retry tier 1, 2, 3 before a record is tried again. */
      retryDelaysMs: z
        .array(z.number().int().nonnegative())
        .length(RETRY_TIERS)
        .default([1_000, 10_000, 60_000]),
      /**
       * Replays from a DLQ a record may have (its `replay.count`, stamped by `npm run dlq -- replay`
       * and the console): one that has had this many and fails again goes to its parking topic,
       * `<topic>-parking`, instead of the DLQ, so it cannot loop between the two.
       */
      dlqMaxReplays: z.number().int().min(1).max(100).default(3),
      /** The guide's max-partition-fetch-bytes 1 MB. */
      maxBytesPerPartition: z.number().int().positive().default(1_048_576),
      /** The guide's fetch-max-wait-ms 500. */
      fetchMaxWaitMs: z.number().int().positive().default(500),
      /** 1 byte, not the guide's 1 KB: a saga step should not wait for other records to arrive. */
      fetchMinBytes: z.number().int().positive().default(1),
    })
    .prefault({}),
  producer: z
    .object({
      retries: z.number().int().nonnegative().default(3),
      compression: z.enum(['snappy', 'none']).default('snappy'),
    })
    .prefault({}),
  outbox: z
    .object({
      /**
       * How often an idle relay asks whether rows wait. A commit through the kit's transaction
       * scopes wakes its own relay at once, and a relay that met another replica's publish holding
       * the lock asks again within milliseconds, so the poll only finds rows nobody announced.
       * 1 s, not 100 ms: four idle services' relays cost 2.7 instead of 27.7 millicores
       * (bench/outbox/idle.ts), and nudged commits reach the producer as fast (latency.ts).
       */
      pollIntervalMs: z.number().int().positive().default(1_000),
      /**
       * Throughput lever (issue 15): how long the relay, woken by a commit, waits for more commits
       * before it reads, so one produce request carries them all. 0 reads at once.
       */
      lingerMs: z.number().int().nonnegative().default(5),
      /**
       * Throughput lever (issue 15): the relay's "published" mark commits without waiting for
       * its WAL flush. Harmless: a mark lost in a crash only re-publishes a duplicate, which
       * consumers skip.
       */
      asyncCommitMarks: z.boolean().default(true),
      /**
       * The longest the relay waits before it tries a failed publish again (from 200 ms,
       * doubling). Leadership moves about 3 s after a broker dies; with 5 s the relay of a quiet
       * service (nothing committed to wake it) could sleep past the fail-over (issue 21).
       */
      retryMaxMs: z.number().int().positive().default(1_000),
      batchSize: z.number().int().min(1).max(5_000).default(200),
      retentionHours: z.number().positive().default(24),
      cleanupIntervalMs: z
        .number()
        .int()
        .positive()
        .default(10 * 60_000),
    })
    .prefault({}),
});

export type MessagingSettings = z.infer<typeof MessagingSettingsSchema>;
export type MessagingSettingsInput = z.input<typeof MessagingSettingsSchema>;

export function messagingSettings(input: MessagingSettingsInput): MessagingSettings {
  return MessagingSettingsSchema.parse(input);
}
