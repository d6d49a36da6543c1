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
   * Hot-path SQL as named prepared statements, a step each (issue 15); false runs the Sequelize
   * statements of before, for comparison. Chunks of KAFKA_RECORDS_PER_TRANSACTION records (100)
   * lock their product rows ahead in one order (StockSaga.lockAhead), so they do not deadlock.
   */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
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
