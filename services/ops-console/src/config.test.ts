import { ConfigError } from '@shop/service-kit';
import { loadConsoleConfig, perService } from './config';

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
      DLQ_MAX_REPLAYS: 3,
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

describe("the console's settings per service", () => {
  it("names each service's API and database by the service, and leaves the unset ones out", () => {
    const config = loadConsoleConfig({
      ...env,
      NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:3004',
      PAYMENT_SERVICE_DATABASE_URL: 'postgres://reader@127.0.0.1:15432/payment_service',
    });
    expect(perService(config, 'URL')).toEqual({
      'order-service': 'http://127.0.0.1:3001',
      'inventory-service': undefined,
      'payment-service': undefined,
      'notification-service': 'http://127.0.0.1:3004',
    });
    expect(perService(config, 'DATABASE_URL')['payment-service']).toBe(
      'postgres://reader@127.0.0.1:15432/payment_service',
    );
  });

  it("refuses a service's database that is not a postgres URL", () => {
    expect(() =>
      loadConsoleConfig({ ...env, ORDER_SERVICE_DATABASE_URL: 'mysql://127.0.0.1/orders' }),
    ).toThrow('ORDER_SERVICE_DATABASE_URL');
  });
});
