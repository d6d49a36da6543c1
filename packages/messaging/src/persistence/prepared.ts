import type { Transaction } from 'sequelize';
import type { QueryResultRow } from 'pg';

/** A statement PostgreSQL parses and plans once per connection, then runs by name. */
export interface PreparedStatement {
  /** Unique per statement text: a connection keeps the first text it saw under a name. */
  readonly name: string;
  readonly text: string;
}

interface PgConnection {
  query<R extends QueryResultRow>(config: {
    name: string;
    text: string;
    values: readonly unknown[];
  }): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * Runs a named prepared statement on the connection a Sequelize transaction holds, so it joins
 * that transaction. On a hot path this skips Sequelize's query building and result mapping and
 * PostgreSQL's parse and plan (issue 15); everywhere else Sequelize stays.
 */
export async function runPrepared<R extends QueryResultRow>(
  transaction: Transaction,
  statement: PreparedStatement,
  values: readonly unknown[],
): Promise<{ rows: R[]; rowCount: number }> {
  const connection = (transaction as unknown as { connection?: PgConnection }).connection;
  if (!connection) throw new Error(`prepared statement ${statement.name}: no open transaction`);
  const result = await connection.query<R>({
    name: statement.name,
    text: statement.text,
    values,
  });
  return { rows: result.rows, rowCount: result.rowCount ?? 0 };
}
