import path from 'node:path';
import { z } from 'zod';

const ROOT = path.resolve(__dirname, '..');

/**
 * Where a chaos run puts its own stack, proxies and services. Its ports are apart from the
 * developer's stack (19092/15432) and below the ephemeral range, so a chaos run never touches a
 * system someone is using, and a restarted listener never collides with a client's TIME_WAIT.
 */
const EnvSchema = z.object({
  CHAOS_PORT_BASE: z.coerce.number().int().min(2000).max(32000).default(25000),
  CHAOS_DIR: z.string().min(1).default(path.join(ROOT, '.devstack-chaos')),
  CHAOS_ORDERS: z.coerce.number().int().min(20).optional(),
  CHAOS_CONCURRENCY: z.coerce.number().int().min(1).max(128).default(12),
  /** Orders placed per second, steadily; 0 places them as fast as the customers get answers. */
  CHAOS_RATE: z.coerce.number().min(0).max(1000).default(15),
  /** The services' log level; info shows each shutdown step. Logs go to <CHAOS_DIR>/services/. */
  CHAOS_SERVICE_LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('warn'),
  /** Only the scenarios whose names contain one of these (comma-separated), e.g. `broker,controller`. */
  CHAOS_SCENARIOS: z.string().optional(),
});

export type ChaosProfile = 'short' | 'full';

export interface ChaosSettings {
  readonly profile: ChaosProfile;
  readonly stateDir: string;
  /** Orders placed over the whole run, spread across the scenarios. */
  readonly orders: number;
  readonly concurrency: number;
  /** Orders per second; undefined: as fast as answered. */
  readonly ratePerSecond?: number;
  readonly serviceLogLevel: string;
  /** Name fragments of the scenarios to run; all of the profile when empty. */
  readonly only: readonly string[];
  readonly ports: {
    readonly kafka: number;
    /** Toxiproxy's listeners in front of each broker's proxied listener. */
    readonly kafkaProxy: number;
    readonly postgres: number;
    readonly postgresProxy: number;
    readonly toxiproxyApi: number;
    /** order, inventory, payment, notification: base, +1, +2, +3. */
    readonly http: number;
  };
}

export function loadChaosSettings(
  profile: ChaosProfile,
  env: NodeJS.ProcessEnv = process.env,
): ChaosSettings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid chaos setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  const base = e.CHAOS_PORT_BASE;
  return {
    profile,
    stateDir: path.resolve(e.CHAOS_DIR),
    orders: e.CHAOS_ORDERS ?? (profile === 'full' ? 5_000 : 160),
    concurrency: e.CHAOS_CONCURRENCY,
    ratePerSecond: e.CHAOS_RATE > 0 ? e.CHAOS_RATE : undefined,
    serviceLogLevel: e.CHAOS_SERVICE_LOG_LEVEL,
    only: (e.CHAOS_SCENARIOS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ports: {
      kafka: base + 92,
      kafkaProxy: base + 392,
      postgres: base + 432,
      postgresProxy: base + 532,
      toxiproxyApi: base + 474,
      http: base + 1,
    },
  };
}

/** The environment a devstack reads, pointed at the chaos run's own ports and state. */
export function stackEnv(settings: ChaosSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KAFKA_NODES: '3',
    KAFKA_SECURE: 'false',
    KAFKA_PORT_BASE: String(settings.ports.kafka),
    KAFKA_PROXY_PORT_BASE: String(settings.ports.kafkaProxy),
    PG_PORT: String(settings.ports.postgres),
    DEVSTACK_DIR: settings.stateDir,
  };
}
