import { z } from 'zod';
import { ServiceEnvSchema, parseEnv } from '@shop/service-kit';

export const PaymentConfigSchema = ServiceEnvSchema.safeExtend({
  GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(20),
  GATEWAY_DECLINE_REFERENCES: z
    .string()
    .default('tok_declined,tok_insufficient_funds')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  GATEWAY_DECLINE_ABOVE_CENTS: z.coerce.number().int().min(0).default(10_000_000),
  GATEWAY_TRANSIENT_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  GATEWAY_FLAKY_REFERENCE: z.string().min(1).default('tok_flaky'),
  /**
   * A chunk's captures go to the gateway at once before its handlers run, instead of one after
   * another on the partition's serial path (issue 15); false for the baseline.
   */
  GATEWAY_CAPTURES_AHEAD: z.stringbool().default(true),
  /** Hot-path SQL as named prepared statements, a step each (issue 15); false for the baseline. */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
});

export type PaymentConfig = z.infer<typeof PaymentConfigSchema>;

export function loadPaymentConfig(env: NodeJS.ProcessEnv = process.env): PaymentConfig {
  return parseEnv(PaymentConfigSchema, env);
}
