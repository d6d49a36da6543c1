import { Client } from 'pg';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';

/**
 * What the servers counted so far: SQL statements (pg_stat_statements) and transactions per
 * service database, WAL writes and flushes of the whole PostgreSQL server, and each service's
 * Kafka requests by API (its `kafka_client_requests_total` on /metrics). Two readings around a
 * window give what the window cost.
 */
export interface ServerCounters {
  /** Statements the services ran, by service: BEGIN, COMMIT and SAVEPOINT count as one each. */
  readonly statements: Record<ServiceName, number>;
  /** Committed and rolled-back transactions in each service's database, the benchmark's own left out. */
  readonly transactions: Record<ServiceName, number>;
  /** WAL writes and fsyncs (PostgreSQL 18: pg_stat_io, object 'wal'; before: pg_stat_wal). */
  readonly walWrites: number;
  readonly walSyncs: number;
  /** Requests to the brokers by API, per service. */
  readonly kafkaRequests: Record<ServiceName, Record<string, number>>;
}

export interface CounterSources {
  /** The `postgres` database as the benchmark's observer role. */
  readonly observerAdminUrl: string;
  /** The role the services connect as; the observer's statements are not counted. */
  readonly serviceRole: string;
  readonly databaseNames: Readonly<Record<ServiceName, string>>;
  readonly metricsUrl: (service: ServiceName) => string;
}

export async function readServerCounters(sources: CounterSources): Promise<ServerCounters> {
  const pg = new Client({ connectionString: sources.observerAdminUrl });
  await pg.connect();
  try {
    const byDatabase = await pg.query<{ datname: string; mine: string; observer: string }>(
      `SELECT d.datname,
              coalesce(sum(s.calls) FILTER (WHERE r.rolname = $1), 0) AS mine,
              coalesce(sum(s.calls) FILTER (WHERE r.rolname = current_user), 0) AS observer
         FROM pg_stat_statements s
         JOIN pg_database d ON d.oid = s.dbid
         JOIN pg_roles r ON r.oid = s.userid
        GROUP BY d.datname`,
      [sources.serviceRole],
    );
    const commits = await pg.query<{ datname: string; n: string }>(
      'SELECT datname, xact_commit + xact_rollback AS n FROM pg_stat_database',
    );
    const wal = await walCounters(pg);
    const statements = {} as Record<ServiceName, number>;
    const transactions = {} as Record<ServiceName, number>;
    for (const service of SERVICE_NAMES) {
      const name = sources.databaseNames[service];
      const row = byDatabase.rows.find((r) => r.datname === name);
      const all = Number(commits.rows.find((r) => r.datname === name)?.n ?? 0);
      statements[service] = Number(row?.mine ?? 0);
      // Every statement the observer sends there runs in a transaction of its own.
      transactions[service] = all - Number(row?.observer ?? 0);
    }
    const kafkaRequests = Object.fromEntries(
      await Promise.all(
        SERVICE_NAMES.map(async (s) => [s, await requestsOf(sources.metricsUrl(s))] as const),
      ),
    ) as Record<ServiceName, Record<string, number>>;
    return { statements, transactions, ...wal, kafkaRequests };
  } finally {
    await pg.end();
  }
}

async function walCounters(pg: Client): Promise<{ walWrites: number; walSyncs: number }> {
  const { rows } = await pg.query<{ v: string }>(
    "SELECT current_setting('server_version_num') AS v",
  );
  const sql =
    Number(rows[0]!.v) >= 180000
      ? `SELECT coalesce(sum(writes), 0) AS writes, coalesce(sum(fsyncs), 0) AS syncs FROM pg_stat_io WHERE object = 'wal'`
      : 'SELECT wal_write AS writes, wal_sync AS syncs FROM pg_stat_wal';
  const wal = await pg.query<{ writes: string; syncs: string }>(sql);
  return { walWrites: Number(wal.rows[0]!.writes), walSyncs: Number(wal.rows[0]!.syncs) };
}

/** `kafka_client_requests_total{api="Produce",service="..."} 12` lines, summed by API. */
export function parseKafkaRequests(exposition: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of exposition.split('\n')) {
    const match = /^kafka_client_requests_total\{[^}]*api="([^"]+)"[^}]*\}\s+(\S+)/.exec(line);
    if (match) counts[match[1]!] = (counts[match[1]!] ?? 0) + Number(match[2]);
  }
  return counts;
}

async function requestsOf(metricsUrl: string): Promise<Record<string, number>> {
  const res = await fetch(metricsUrl);
  return parseKafkaRequests(await res.text());
}

/** What happened between two readings, as plain numbers by name (e.g. `statements.order-service`). */
export function counterDelta(
  before: ServerCounters,
  after: ServerCounters,
): Record<string, number> {
  const delta: Record<string, number> = {
    walWrites: after.walWrites - before.walWrites,
    walSyncs: after.walSyncs - before.walSyncs,
  };
  for (const s of SERVICE_NAMES) {
    delta[`statements.${s}`] = after.statements[s] - before.statements[s];
    delta[`transactions.${s}`] = after.transactions[s] - before.transactions[s];
    const apis = new Set([
      ...Object.keys(after.kafkaRequests[s]),
      ...Object.keys(before.kafkaRequests[s]),
    ]);
    for (const api of apis)
      delta[`kafka.${api}.${s}`] =
        (after.kafkaRequests[s][api] ?? 0) - (before.kafkaRequests[s][api] ?? 0);
  }
  return delta;
}
