import type { Admin, Kafka } from 'kafkajs';
import { Client } from 'pg';
import {
  SERVICE_NAMES,
  consumedTopicsOf,
  consumerGroupOf,
  retryTopicOf,
  RETRY_TIERS,
  type ServiceName,
} from '@shop/contracts';
import { withKafkaAdmin } from '@shop/devstack';

export interface Unsettled {
  readonly openOrders: number;
  readonly outboxBacklog: number;
  readonly consumerLag: number;
}

const settled = (u: Unsettled) => u.openOrders + u.outboxBacklog + u.consumerLag === 0;

/**
 * Waits until the system has nothing left to do: every order terminal, every outbox row
 * published, and every consumer group at the end of its topics and retry tiers. Returns what
 * was still unsettled when time ran out, or undefined once quiet.
 */
export async function waitForQuiescence(
  kafka: Kafka,
  databaseUrl: (service: ServiceName) => string,
  timeoutMs: number,
): Promise<Unsettled | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last: Unsettled;
  for (;;) {
    try {
      last = {
        openOrders: await openOrders(databaseUrl('order-service')),
        outboxBacklog: await outboxBacklog(databaseUrl),
        consumerLag: await withKafkaAdmin(kafka, totalLag),
      };
      if (settled(last)) return undefined;
    } catch {
      // a fault still healing; ask again
      last = { openOrders: -1, outboxBacklog: -1, consumerLag: -1 };
    }
    if (Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function query(url: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(sql);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

function openOrders(url: string): Promise<number> {
  return query(
    url,
    `SELECT count(*) AS n FROM orders WHERE status NOT IN ('COMPLETED', 'CANCELLED')`,
  );
}

async function outboxBacklog(databaseUrl: (service: ServiceName) => string): Promise<number> {
  let total = 0;
  for (const service of SERVICE_NAMES) {
    total += await query(
      databaseUrl(service),
      `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`,
    );
  }
  return total;
}

/** Records not yet consumed by their group, over every topic and retry tier of every service. */
export async function totalLag(admin: Admin): Promise<number> {
  let lag = 0;
  for (const service of SERVICE_NAMES) {
    const topics = [
      ...consumedTopicsOf(service),
      ...Array.from({ length: RETRY_TIERS }, (_, i) => retryTopicOf(service, i + 1)),
    ];
    if (consumedTopicsOf(service).length === 0) continue;
    const committed = await admin.fetchOffsets({ groupId: consumerGroupOf(service), topics });
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const from = offset === '-1' ? Number(end.low) : Number(offset);
        lag += Math.max(0, Number(end.high) - from);
      }
    }
  }
  return lag;
}
