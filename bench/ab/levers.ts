import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';

/**
 * A throughput lever (issue 15): environment variables the services read, each with its baseline
 * value (the behaviour before the issue) and the lever's value. A lever whose code is not in a
 * service yet sets a variable nobody reads, and measures as no change.
 */
export interface Lever {
  readonly name: string;
  /** Variable -> [baseline, lever]. */
  readonly env: Readonly<Record<string, readonly [string, string]>>;
  /** The services it applies to; all four when not given. */
  readonly services: readonly ServiceName[];
}

const lever = (
  name: string,
  env: Lever['env'],
  services: readonly ServiceName[] = SERVICE_NAMES,
): Lever => ({ name, env, services });

/** Every lever the A/B compares; adding one is one line. */
export const LEVERS: readonly Lever[] = [
  lever('commit-by-time', { KAFKA_COMMIT_INTERVAL_MS: ['0', '1000'] }),
  lever('fetch-coalescing', {
    KAFKA_FETCH_MIN_BYTES: ['1', '16384'],
    KAFKA_FETCH_MAX_WAIT_MS: ['500', '50'],
  }),
  lever('no-single-record-savepoint', { KAFKA_SAVEPOINT_FOR_SINGLE_RECORD: ['true', 'false'] }),
  lever('relay-linger', { OUTBOX_LINGER_MS: ['0', '5'] }),
  lever('async-relay-marks', { OUTBOX_ASYNC_COMMIT_MARKS: ['false', 'true'] }),
  lever('relay-poll-1s', { OUTBOX_POLL_INTERVAL_MS: ['100', '1000'] }),
  lever('no-pg-spans', { OTEL_PG_SPANS: ['true', 'false'] }),
  lever('prepared-statements', { DATABASE_PREPARED_STATEMENTS: ['false', 'true'] }),
  lever('catalog-cache', { CATALOG_CACHE_TTL_MS: ['0', '60000'] }, ['order-service']),
  lever('inventory-chunks', { KAFKA_RECORDS_PER_TRANSACTION: ['1', '100'] }, ['inventory-service']),
  lever('payment-captures-ahead', { GATEWAY_CAPTURES_AHEAD: ['false', 'true'] }, [
    'payment-service',
  ]),
  lever('pool-5', { DATABASE_POOL_MAX: ['10', '5'] }),
  // V8's young generation: 16 MB semi-spaces by default; smaller ones trade GC work for RSS.
  lever('semi-space-4mb', { NODE_OPTIONS: ['', '--max-semi-space-size=4'] }),
];

/** A set of levers switched on; every other lever at its baseline value. */
export interface Configuration {
  readonly name: string;
  readonly on: readonly string[];
}

/** Baseline, each lever alone, all levers, all minus each; a set already listed is not repeated. */
export function configurations(levers: readonly Lever[]): Configuration[] {
  const names = levers.map((l) => l.name);
  const candidates: Configuration[] = [
    { name: 'baseline', on: [] },
    ...names.map((n) => ({ name: n, on: [n] })),
    { name: 'all levers', on: names },
    ...names.map((n) => ({ name: `all - ${n}`, on: names.filter((m) => m !== n) })),
  ];
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = [...c.on].sort().join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The environment one service gets in a configuration: every lever's variables, set explicitly. */
export function envOf(
  levers: readonly Lever[],
  configuration: Configuration,
  service: ServiceName,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const l of levers) {
    if (!l.services.includes(service)) continue;
    const on = configuration.on.includes(l.name);
    for (const [name, [baseline, value]] of Object.entries(l.env))
      env[name] = on ? value : baseline;
  }
  return env;
}

/** The levers named in `--levers a,b` (all when empty); an unknown name is an error. */
export function selectLevers(list: string | undefined): Lever[] {
  if (!list) return [...LEVERS];
  return list.split(',').map((name) => {
    const found = LEVERS.find((l) => l.name === name.trim());
    if (!found)
      throw new Error(`unknown lever ${name}; known: ${LEVERS.map((l) => l.name).join(', ')}`);
    return found;
  });
}
