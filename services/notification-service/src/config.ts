import { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const NotificationConfigSchema = ServiceEnvSchema.safeExtend({
  /** A notification recorded by a named prepared statement (issue 15); false for the baseline. */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
  /**
   * How often a replica looks for PENDING notifications besides the look right after each commit:
   * what a crash before the send, or a retry, waits at most beyond its own backoff.
   */
  NOTIFICATION_DELIVERY_INTERVAL_MS: ms(10, 600_000, 1_000),
  /** Notifications claimed per delivery round, their rows locked while they are sent. */
  NOTIFICATION_DELIVERY_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** A send still going after this counts as a failed attempt. */
  NOTIFICATION_SEND_TIMEOUT_MS: ms(1, 120_000, 10_000),
  /** Attempts in all before a notification is given up as FAILED (the defaults: about 8.5 min). */
  NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /** The wait after the first failed send, doubling after each one up to the maximum. */
  NOTIFICATION_RETRY_FIRST_DELAY_MS: ms(1, 3_600_000, 1_000),
  NOTIFICATION_RETRY_MAX_DELAY_MS: ms(1, 86_400_000, 300_000),
}).refine((c) => c.NOTIFICATION_RETRY_MAX_DELAY_MS >= c.NOTIFICATION_RETRY_FIRST_DELAY_MS, {
  message: 'must not be below NOTIFICATION_RETRY_FIRST_DELAY_MS',
  path: ['NOTIFICATION_RETRY_MAX_DELAY_MS'],
});

export type NotificationConfig = z.infer<typeof NotificationConfigSchema>;

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  return parseEnv(NotificationConfigSchema, env);
}
