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
  /**
   * The saga's deadlines (docs/services.md): an order PENDING (no stock answer) or CONFIRMED (no
   * payment answer) this long is cancelled; one CANCELLING this long has its cancel announced again.
   * Minutes by default: far beyond a broker fail-over or a backlog's drain, so only a lost or
   * dead-lettered step times out.
   */
  ORDER_DEADLINE_PENDING_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(5 * 60_000),
  ORDER_DEADLINE_CONFIRMED_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(15 * 60_000),
  ORDER_DEADLINE_CANCELLING_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(5 * 60_000),
  /** How often each replica looks for orders past their deadline. */
  ORDER_DEADLINE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
});

export type OrderConfig = z.infer<typeof OrderConfigSchema>;

export function loadOrderConfig(env: NodeJS.ProcessEnv = process.env): OrderConfig {
  return parseEnv(OrderConfigSchema, env);
}
