import { ConfigError } from '@shop/service-kit';
import { loadConsoleConfig } from './config';

const env = {
  HTTP_PORT: '3005',
  KAFKA_BROKERS: '127.0.0.1:19092',
  DATABASE_URL: 'postgres://shop:shop@127.0.0.1:15432/ops_console',
  ADMIN_TOKEN: 'local-admin-token-not-a-secret',
  ORDER_SERVICE_URL: 'http://127.0.0.1:3001',
};

describe('console configuration', () => {
  it('has defaults for everything but where things are and the admin token', () => {
    expect(loadConsoleConfig(env)).toMatchObject({
      CONSOLE_MAX_REPLAYS: 3,
      CONSOLE_SECURE_COOKIES: false,
      KAFKA_BROKERS: ['127.0.0.1:19092'],
    });
  });

  it('refuses a short admin token and half a SASL setting, on one line', () => {
    expect(() => loadConsoleConfig({ ...env, ADMIN_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConsoleConfig({ ...env, KAFKA_SASL_USERNAME: 'ops' })).toThrow(
      'set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together',
    );
  });
});
