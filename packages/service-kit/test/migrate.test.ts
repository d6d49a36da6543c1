import { Sequelize } from 'sequelize';
import { sqlMigration, type Migration } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { migrate } from '../src/database';

// A slow first migration widens the window in which two replicas both see nothing applied yet.
const MIGRATIONS: Migration[] = [
  sqlMigration('0100-slow', 'SELECT pg_sleep(0.5)', 'SELECT 1'),
  sqlMigration('0101-thing', 'CREATE TABLE thing (id int PRIMARY KEY)', 'DROP TABLE thing'),
];

describe('migrations at start-up', () => {
  it('run once when replicas start together on a fresh database', async () => {
    const db = await createTestDatabase('migrate-race');
    // Pools of one connection, as DATABASE_POOL_MAX=1 allows: the lock must not need a second.
    const replicas = [1, 2, 3].map(
      () => new Sequelize(db.url, { logging: false, dialect: 'postgres', pool: { max: 1 } }),
    );
    try {
      await Promise.all(replicas.map((sequelize) => migrate(db.url, sequelize, MIGRATIONS)));
      const [rows] = await replicas[0]!.query('SELECT name FROM "SequelizeMeta" ORDER BY name');
      expect((rows as Array<{ name: string }>).map((r) => r.name)).toEqual([
        '0001-messaging-outbox',
        '0002-messaging-processed-events',
        '0100-slow',
        '0101-thing',
      ]);
    } finally {
      await Promise.all(replicas.map((s) => s.close()));
      await db.drop();
    }
  });
});
