import { Sequelize } from 'sequelize';
import { runPrepared } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';

describe('runPrepared', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;
  const insert = {
    name: 'prepared-test-insert',
    text: 'INSERT INTO items (id) VALUES ($1) RETURNING id',
  };

  beforeAll(async () => {
    database = await createTestDatabase('prepared');
    sequelize = new Sequelize(database.url, { logging: false, pool: { max: 1 } });
    await sequelize.query('CREATE TABLE items (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await sequelize.close();
    await database.drop();
  });

  it('runs in the Sequelize transaction: a rollback takes its rows back', async () => {
    const failed = sequelize.transaction(async (transaction) => {
      const { rows } = await runPrepared<{ id: number }>(transaction, insert, [1]);
      expect(rows).toEqual([{ id: 1 }]);
      throw new Error('roll back');
    });
    await expect(failed).rejects.toThrow('roll back');
    await sequelize.transaction(async (transaction) => {
      await runPrepared(transaction, insert, [2]);
    });
    const [rows] = await sequelize.query('SELECT id FROM items ORDER BY id');
    expect(rows).toEqual([{ id: 2 }]);
  });

  it('is prepared once per connection and reused by name', async () => {
    await sequelize.transaction(async (transaction) => {
      await runPrepared(transaction, insert, [3]);
      const [prepared] = await sequelize.query(
        "SELECT name FROM pg_prepared_statements WHERE name = 'prepared-test-insert'",
        { transaction },
      );
      expect(prepared).toHaveLength(1);
    });
  });
});
