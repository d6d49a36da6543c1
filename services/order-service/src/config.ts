import { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

export const OrderConfigSchema = ServiceEnvSchema.extend({
  /** Where inventory-service answers; orders for unknown products are refused up front. */
  INVENTORY_URL: z.url(),
});

export type OrderConfig = z.infer<typeof OrderConfigSchema>;

export function loadOrderConfig(env: NodeJS.ProcessEnv = process.env): OrderConfig {
  return parseEnv(OrderConfigSchema, env);
}
