import type { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

export const NotificationConfigSchema = ServiceEnvSchema;

export type NotificationConfig = z.infer<typeof NotificationConfigSchema>;

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  return parseEnv(NotificationConfigSchema, env);
}
