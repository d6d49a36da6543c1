import { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

export const NotificationConfigSchema = ServiceEnvSchema.safeExtend({
  /** A notification recorded by a named prepared statement (issue 15); false for the baseline. */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
});

export type NotificationConfig = z.infer<typeof NotificationConfigSchema>;

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  return parseEnv(NotificationConfigSchema, env);
}
