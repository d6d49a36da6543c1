import { loadInventoryConfig } from './config';

const env = {
  HTTP_PORT: '0',
  KAFKA_BROKERS: 'localhost:9092',
  DATABASE_URL: 'postgres://localhost/inventory',
  ADMIN_TOKEN: 'a-token-of-sixteen-or-more',
};

describe('inventory-service configuration', () => {
  it('applies chunks of 100 records (their locks taken in one order) with prepared statements', () => {
    expect(loadInventoryConfig(env)).toMatchObject({
      KAFKA_RECORDS_PER_TRANSACTION: 100,
      DATABASE_PREPARED_STATEMENTS: true,
    });
  });

  it('keeps the baseline reachable: a record per transaction, Sequelize statements', () => {
    expect(
      loadInventoryConfig({
        ...env,
        KAFKA_RECORDS_PER_TRANSACTION: '1',
        DATABASE_PREPARED_STATEMENTS: 'false',
      }),
    ).toMatchObject({ KAFKA_RECORDS_PER_TRANSACTION: 1, DATABASE_PREPARED_STATEMENTS: false });
  });
});
