import { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

export const InventoryConfigSchema = ServiceEnvSchema.extend({
  /** Bearer token for POST /products and restock. */
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  /** Adds the demo catalog at start-up when missing. */
  SEED_DEMO_CATALOG: z.stringbool().default(false),
});

export type InventoryConfig = z.infer<typeof InventoryConfigSchema>;

export function loadInventoryConfig(env: NodeJS.ProcessEnv = process.env): InventoryConfig {
  return parseEnv(InventoryConfigSchema, env);
}
