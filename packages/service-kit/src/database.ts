import { Client } from 'pg';
import { Sequelize } from 'sequelize';
import { createMigrator, type Migration } from '@shop/messaging';
import type { Logger } from '@shop/observability';

export function createSequelize(url: string, poolMax: number, logger: Logger): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    logging: (sql) => logger.trace({ sql }, 'sql'),
    pool: { max: poolMax, min: 0, acquire: 10_000, idle: 10_000 },
    dialectOptions: { application_name: logger.bindings().service as string },
  });
}

/** Held while migrating: ASCII "migr". The relay's lock is another key. */
export const MIGRATION_LOCK_KEY = 0x6d696772;

/**
 * The messaging kit's tables first, then the service's own; recorded, so it runs each once.
 * Replicas starting together on a fresh database take turns: a session-level advisory lock on a
 * connection of its own (outside the pool, which may hold a single connection) is held for the
 * whole run, so the second replica finds the migrations recorded instead of failing on CREATE
 * TABLE. A replica that dies mid-way drops its session and with it the lock.
 */
export async function migrate(
  databaseUrl: string,
  sequelize: Sequelize,
  migrations: readonly Migration[],
): Promise<void> {
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await createMigrator(sequelize, migrations).up();
  } finally {
    await lock.end();
  }
}
