import { loadNotificationConfig } from './config';

const env = {
  HTTP_PORT: '0',
  KAFKA_BROKERS: 'localhost:9092',
  DATABASE_URL: 'postgres://localhost/notification',
};

describe('notification-service configuration', () => {
  it('records notifications with a prepared statement, unless told not to', () => {
    expect(loadNotificationConfig(env).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(
      loadNotificationConfig({ ...env, DATABASE_PREPARED_STATEMENTS: 'false' })
        .DATABASE_PREPARED_STATEMENTS,
    ).toBe(false);
  });
});
