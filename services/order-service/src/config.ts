import { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

export const OrderConfigSchema = ServiceEnvSchema.safeExtend({
  /** Where inventory-service answers; orders for unknown products are refused up front. */
  INVENTORY_URL: z.url(),
  /**
   * How long a product inventory confirmed exists is taken as known without asking again
   * (issue 15: no catalog call per order); 0 asks inventory for every order.
   */
  CATALOG_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
  /** On for order-service, whose hot paths have them (test/sql-order-store.test.ts runs both). */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
});

export type OrderConfig = z.infer<typeof OrderConfigSchema>;

export function loadOrderConfig(env: NodeJS.ProcessEnv = process.env): OrderConfig {
  return parseEnv(OrderConfigSchema, env);
}
