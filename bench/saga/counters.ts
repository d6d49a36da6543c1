import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { PRIMARY_TOPICS, SERVICE_NAMES, consumerGroupOf, type ServiceName } from '@shop/contracts';
import { consumerLag } from '@shop/messaging';

/** Records appended to every saga topic so far: the sum of their log-end offsets. */
export async function sagaEventsSoFar(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let total = 0;
    for (const { name } of PRIMARY_TOPICS)
      for (const p of await admin.fetchTopicOffsets(name)) total += Number(p.high);
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** Committed transactions in the services' databases so far (pg_stat_database). */
export async function transactionsSoFar(
  databaseUrls: Readonly<Record<ServiceName, string>>,
): Promise<number> {
  let total = 0;
  for (const service of SERVICE_NAMES) {
    const client = new Client({ connectionString: databaseUrls[service] });
    await client.connect();
    try {
      const { rows } = await client.query<{ commits: string }>(
        'SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()',
      );
      total += Number(rows[0]?.commits ?? 0);
    } finally {
      await client.end();
    }
  }
  return total;
}

/** Records the services' consumer groups have not processed yet, summed over their topics. */
export async function sagaLag(kafka: Kafka): Promise<number> {
  const rows = await consumerLag(kafka, SERVICE_NAMES.map(consumerGroupOf));
  return rows.reduce((sum, r) => sum + Number(r.lag), 0);
}
