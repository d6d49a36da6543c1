import { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

export const InventoryConfigSchema = ServiceEnvSchema.safeExtend({
  /** Bearer token for POST /products and restock. */
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  /**
   * One record per transaction by default: every reservation locks shared product rows, and a
   * chunk holding them while another partition's chunk waits would deadlock (seen at 500 orders).
   */
  KAFKA_RECORDS_PER_TRANSACTION: z.coerce.number().int().min(1).max(1000).default(1),
  /**
   * How often one of the replicas reconciles every product's stock (stock_accuracy_ratio); the
   * first round runs at start-up.
   */
  STOCK_RECONCILIATION_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(60_000),
  /** Adds the demo catalog at start-up when missing. */
  SEED_DEMO_CATALOG: z.stringbool().default(false),
});

export type InventoryConfig = z.infer<typeof InventoryConfigSchema>;

export function loadInventoryConfig(env: NodeJS.ProcessEnv = process.env): InventoryConfig {
  return parseEnv(InventoryConfigSchema, env);
}
