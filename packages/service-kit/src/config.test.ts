import { ConfigError, ServiceEnvSchema, messagingSettingsOf, parseEnv } from './config';

const BASE = {
  HTTP_PORT: '0',
  KAFKA_BROKERS: '127.0.0.1:19092',
  DATABASE_URL: 'postgres://shop:shop@127.0.0.1:15432/order_service',
};

describe('the outbox relay settings from the environment', () => {
  it('waits at most a second before it retries a failed publish, unless told otherwise', () => {
    const settings = (env: Record<string, string>) =>
      messagingSettingsOf('order-service', parseEnv(ServiceEnvSchema, { ...BASE, ...env })).outbox;
    expect(settings({}).retryMaxMs).toBe(1_000);
    expect(settings({ OUTBOX_RETRY_MAX_MS: '250' }).retryMaxMs).toBe(250);
    expect(() => settings({ OUTBOX_RETRY_MAX_MS: '0' })).toThrow(ConfigError);
  });
});
