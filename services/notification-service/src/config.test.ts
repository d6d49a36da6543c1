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

describe('notification delivery settings', () => {
  it('default to a retry every second doubling to five minutes, ten attempts in all', () => {
    expect(loadNotificationConfig(env)).toMatchObject({
      NOTIFICATION_DELIVERY_INTERVAL_MS: 1_000,
      NOTIFICATION_DELIVERY_BATCH_SIZE: 20,
      NOTIFICATION_SEND_TIMEOUT_MS: 10_000,
      NOTIFICATION_MAX_ATTEMPTS: 10,
      NOTIFICATION_RETRY_FIRST_DELAY_MS: 1_000,
      NOTIFICATION_RETRY_MAX_DELAY_MS: 300_000,
    });
  });

  it.each([
    [{ NOTIFICATION_MAX_ATTEMPTS: '0' }, 'NOTIFICATION_MAX_ATTEMPTS'],
    [{ NOTIFICATION_DELIVERY_BATCH_SIZE: 'many' }, 'NOTIFICATION_DELIVERY_BATCH_SIZE'],
    [{ NOTIFICATION_DELIVERY_INTERVAL_MS: '0' }, 'NOTIFICATION_DELIVERY_INTERVAL_MS'],
    [
      { NOTIFICATION_RETRY_FIRST_DELAY_MS: '60000', NOTIFICATION_RETRY_MAX_DELAY_MS: '1000' },
      'NOTIFICATION_RETRY_MAX_DELAY_MS: must not be below NOTIFICATION_RETRY_FIRST_DELAY_MS',
    ],
  ])('refuse %j', (wrong, problem) => {
    expect(() => loadNotificationConfig({ ...env, ...wrong })).toThrow(problem);
  });
});
