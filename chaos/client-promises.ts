import { Client } from 'pg';

/** What the customers were told, as OrderTraffic recorded it. */
export interface ClientView {
  /** Every order id a customer got a 200/201 for, across the whole run. */
  readonly placed: readonly string[];
  /** Customer ids start with this; no other traffic uses it. */
  readonly customerPrefix: string;
  /** Orders of this scenario the system never accepted within the customers' patience. */
  readonly refused: number;
}

/**
 * The promises made to customers hold: no order is refused for good, every order a customer got
 * an id for exists, and a request retried with its Idempotency-Key never made a second order.
 */
export async function checkClientPromises(
  orderDatabaseUrl: string,
  client: ClientView,
): Promise<string[]> {
  const problems: string[] = [];
  if (client.refused > 0)
    problems.push(`${client.refused} orders were refused for as long as a customer would retry`);

  const db = new Client({ connectionString: orderDatabaseUrl });
  await db.connect();
  try {
    const { rows: found } = await db.query<{ id: string }>(
      'SELECT id FROM orders WHERE id = ANY($1::uuid[])',
      [client.placed],
    );
    const existing = new Set(found.map((r) => r.id));
    const missing = client.placed.filter((id) => !existing.has(id));
    if (missing.length > 0)
      problems.push(
        `${missing.length} orders a customer was given an id for do not exist, e.g. ${missing.slice(0, 3).join(', ')}`,
      );

    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM orders WHERE customer_id LIKE $1 || '-%'`,
      [client.customerPrefix],
    );
    const extra = Number(rows[0]?.n) - new Set(client.placed).size;
    if (extra > 0)
      problems.push(
        `${extra} orders exist that no customer was given an id for (a retried Idempotency-Key made a second order)`,
      );
  } finally {
    await db.end();
  }
  return problems;
}
