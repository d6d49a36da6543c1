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

/** The messaging kit's tables first, then the service's own; recorded, so it runs each once. */
export async function migrate(
  sequelize: Sequelize,
  migrations: readonly Migration[],
): Promise<void> {
  await createMigrator(sequelize, migrations).up();
}
