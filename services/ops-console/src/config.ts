import { z } from 'zod';
import { SERVICE_NAMES, serviceSettingOf, type ServiceName } from '@shop/contracts';
import { KafkaSecurityEnvSchema, commaList, parseEnv, saslSetTogether } from '@shop/service-kit';

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');

/**
 * The console's settings, with the services' names for what they share (HTTP_PORT, KAFKA_*,
 * DATABASE_URL, LOG_LEVEL); it consumes no saga topic, so none of the consumer tuning applies.
 */
export const ConsoleConfigSchema = z
  .object({
    /** 0 picks a free port (tests). */
    HTTP_PORT: z.coerce.number().int().min(0).max(65535),
    KAFKA_BROKERS: commaList,
    /** The console's own database: the replays table. */
    DATABASE_URL: postgresUrl,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
    ...KafkaSecurityEnvSchema.shape,
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(20_000),
    /** The admin credential: signing in takes it, and the cookies' key is derived from it. */
    ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
    /** Where order-service answers GET /orders/:id (and /metrics, for its outbox backlog). */
    ORDER_SERVICE_URL: z.url(),
    /**
     * The other services' HTTP APIs: notification-service's GET /notifications for the timeline,
     * every service's /metrics for its outbox backlog. Unset: the pages say what is missing.
     */
    INVENTORY_SERVICE_URL: z.url().optional(),
    PAYMENT_SERVICE_URL: z.url().optional(),
    NOTIFICATION_SERVICE_URL: z.url().optional(),
    /**
     * Each service's database, read-only, for the timeline's outbox and processed-events rows,
     * which no service's API serves. Give a role that may only SELECT those two tables.
     */
    ORDER_SERVICE_DATABASE_URL: postgresUrl.optional(),
    INVENTORY_SERVICE_DATABASE_URL: postgresUrl.optional(),
    PAYMENT_SERVICE_DATABASE_URL: postgresUrl.optional(),
    NOTIFICATION_SERVICE_DATABASE_URL: postgresUrl.optional(),
    /**
     * Replays allowed per record, the services' own setting: a record that fails again after as
     * many is parked on <topic>-parking by the consumer, and the console sends none back past it.
     */
    DLQ_MAX_REPLAYS: z.coerce.number().int().min(1).max(100).default(3),
    /** Cookies only over HTTPS: true wherever TLS reaches the console. */
    CONSOLE_SECURE_COOKIES: z.stringbool().default(false),
    CONSOLE_SESSION_HOURS: z.coerce.number().min(0.1).max(24).default(8),
    /** The timeline reads at most this many records per topic (the newest of the window). */
    CONSOLE_TIMELINE_MAX_RECORDS: z.coerce.number().int().min(10).max(1_000_000).default(20_000),
    /** How far back the timeline looks for an order order-service does not know. */
    CONSOLE_TIMELINE_WINDOW_HOURS: z.coerce
      .number()
      .min(1)
      .max(24 * 30)
      .default(24),
  })
  .refine(...saslSetTogether);

export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

/** Each service's setting of the given kind, by service name. */
export function perService(
  config: ConsoleConfig,
  suffix: 'URL' | 'DATABASE_URL',
): Record<ServiceName, string | undefined> {
  return Object.fromEntries(
    SERVICE_NAMES.map((s) => [s, config[serviceSettingOf(s, suffix) as keyof ConsoleConfig]]),
  ) as Record<ServiceName, string | undefined>;
}

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return parseEnv(ConsoleConfigSchema, env);
}
