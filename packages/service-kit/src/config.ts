import fs from 'node:fs';
import { z } from 'zod';
import {
  messagingSettings,
  type MessagingSettings,
  type MessagingSettingsInput,
} from '@shop/messaging';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A comma-separated list of at least one item, e.g. KAFKA_BROKERS. */
export const commaList = z
  .string()
  .min(1)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(1)).min(1));

/** How a client reaches a secured Kafka; the services and the operations console read the same names. */
export const KafkaSecurityEnvSchema = z.object({
  /** SASL/SCRAM towards Kafka (the KafkaUser's credentials); all three or none. */
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** The cluster CA certificate file; TLS towards Kafka is on when set. */
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
});

export type KafkaSecurityEnv = z.infer<typeof KafkaSecurityEnvSchema>;

/**
 * The arguments of `.refine` on a schema holding KafkaSecurityEnvSchema's settings: half a SASL
 * setting is refused, so a client never connects without the credentials it was meant to have.
 */
export const saslSetTogether: [
  check: (e: KafkaSecurityEnv) => boolean,
  issue: { message: string; path: string[] },
] = [
  (e: KafkaSecurityEnv) =>
    [e.KAFKA_SASL_MECHANISM, e.KAFKA_SASL_USERNAME, e.KAFKA_SASL_PASSWORD].every(
      (v) => v === undefined,
    ) ||
    [e.KAFKA_SASL_MECHANISM, e.KAFKA_SASL_USERNAME, e.KAFKA_SASL_PASSWORD].every(
      (v) => v !== undefined,
    ),
  {
    message: 'set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together',
    path: ['KAFKA_SASL_MECHANISM'],
  },
];

/** Settings every service reads from its environment; a service extends it with its own. */
export const ServiceEnvSchema = z
  .object({
    /** 0 picks a free port (tests). */
    HTTP_PORT: z.coerce.number().int().min(0).max(65535),
    KAFKA_BROKERS: commaList,
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** Backoff of the three retry tiers, e.g. "1000,10000,60000" (the default). */
    KAFKA_RETRY_DELAYS_MS: z
      .string()
      .regex(/^\d+,\d+,\d+$/, 'three delays in ms, like 1000,10000,60000')
      .transform((s) => s.split(',').map(Number))
      .optional(),
    KAFKA_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
    /** Records applied per database transaction; 1 gives one transaction per record. */
    KAFKA_RECORDS_PER_TRANSACTION: z.coerce.number().int().min(1).max(1000).default(100),
    /** Replays a dead letter may have before one more failure parks it; unset: 3. */
    DLQ_MAX_REPLAYS: z.coerce.number().int().min(1).max(100).optional(),
    /** Throughput levers (issue 15); each is described where its setting is (messaging settings). */
    // Unset: the messaging settings' default (1000 ms; 0 commits by record count).
    KAFKA_COMMIT_INTERVAL_MS: z.coerce.number().int().min(0).optional(),
    KAFKA_FETCH_MIN_BYTES: z.coerce.number().int().min(1).default(1),
    KAFKA_FETCH_MAX_WAIT_MS: z.coerce.number().int().min(1).default(500),
    // Unset: the messaging settings' default (false; true runs a record alone in a savepoint).
    KAFKA_SAVEPOINT_FOR_SINGLE_RECORD: z.stringbool().optional(),
    /** Unset: the messaging settings' default. */
    OUTBOX_LINGER_MS: z.coerce.number().int().min(0).optional(),
    OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(1).optional(),
    OUTBOX_RETRY_MAX_MS: z.coerce.number().int().min(1).optional(),
    OUTBOX_ASYNC_COMMIT_MARKS: z.stringbool().optional(),
    /** Hot-path SQL as named prepared statements on plain pg (issue 15) instead of Sequelize. */
    DATABASE_PREPARED_STATEMENTS: z.stringbool().default(false),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(20_000),
    /** How long start-up waits for an unreachable Kafka cluster before it exits 1. */
    KAFKA_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
    ...KafkaSecurityEnvSchema.shape,
    /** Read by the tracing set-up itself (see instrumentation.ts); listed so the schema knows it. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    /** A span per PostgreSQL query (issue 15's lever); read by the tracing set-up too. */
    OTEL_PG_SPANS: z.enum(['true', 'false']).optional(),
  })
  .refine(...saslSetTogether);

export type ServiceEnv = z.infer<typeof ServiceEnvSchema>;

/** Parses the environment once; every problem is named on one line. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function messagingSettingsOf(clientId: string, env: ServiceEnv): MessagingSettings {
  return messagingSettings({
    brokers: env.KAFKA_BROKERS,
    clientId,
    security: kafkaSecurityOf(env),
    consumer: {
      partitionsConsumedConcurrently: env.KAFKA_CONSUMER_CONCURRENCY,
      recordsPerTransaction: env.KAFKA_RECORDS_PER_TRANSACTION,
      commitIntervalMs: env.KAFKA_COMMIT_INTERVAL_MS,
      fetchMinBytes: env.KAFKA_FETCH_MIN_BYTES,
      fetchMaxWaitMs: env.KAFKA_FETCH_MAX_WAIT_MS,
      savepointForSingleRecord: env.KAFKA_SAVEPOINT_FOR_SINGLE_RECORD,
      dlqMaxReplays: env.DLQ_MAX_REPLAYS,
      ...(env.KAFKA_RETRY_DELAYS_MS ? { retryDelaysMs: env.KAFKA_RETRY_DELAYS_MS } : {}),
    },
    outbox: {
      lingerMs: env.OUTBOX_LINGER_MS,
      pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
      retryMaxMs: env.OUTBOX_RETRY_MAX_MS,
      asyncCommitMarks: env.OUTBOX_ASYNC_COMMIT_MARKS,
    },
  });
}

/** The messaging kit's security settings from the environment's (the CA file read here, once). */
export function kafkaSecurityOf(env: KafkaSecurityEnv): MessagingSettingsInput['security'] {
  return {
    caCertificate: env.KAFKA_SSL_CA_FILE
      ? fs.readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')
      : undefined,
    sasl:
      env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD
        ? {
            mechanism: env.KAFKA_SASL_MECHANISM,
            username: env.KAFKA_SASL_USERNAME,
            password: env.KAFKA_SASL_PASSWORD,
          }
        : undefined,
  };
}
