import { loadStackConfig } from './config';
import { serviceEnv, type ServiceWiring } from './service-env';

const wiring: ServiceWiring = {
  bootstrapServers: ['127.0.0.1:19092', '127.0.0.1:19093'],
  databaseUrl: 'postgres://shop:shop@127.0.0.1:15432/some_service',
  httpPort: 18080,
  inventoryPort: 18081,
  adminToken: 'an-admin-token-0123456789',
};

const common = {
  HTTP_PORT: '18080',
  KAFKA_BROKERS: '127.0.0.1:19092,127.0.0.1:19093',
  DATABASE_URL: 'postgres://shop:shop@127.0.0.1:15432/some_service',
};

describe('serviceEnv', () => {
  it('points order-service at the inventory port given, and tells it nothing else of its own', () => {
    expect(serviceEnv('order-service', wiring)).toEqual({
      ...common,
      INVENTORY_URL: 'http://127.0.0.1:18081',
    });
  });

  it('gives inventory-service the admin token, and the demo catalog only when asked', () => {
    expect(serviceEnv('inventory-service', wiring)).toEqual({
      ...common,
      ADMIN_TOKEN: 'an-admin-token-0123456789',
    });
    expect(serviceEnv('inventory-service', { ...wiring, seedDemoCatalog: true })).toEqual({
      ...common,
      ADMIN_TOKEN: 'an-admin-token-0123456789',
      SEED_DEMO_CATALOG: 'true',
    });
  });

  it('gives payment-service the gateway latency when set, zero included', () => {
    expect(serviceEnv('payment-service', wiring)).toEqual(common);
    expect(serviceEnv('payment-service', { ...wiring, gatewayLatencyMs: 0 })).toEqual({
      ...common,
      GATEWAY_LATENCY_MS: '0',
    });
  });

  it('gives notification-service only what every service reads', () => {
    expect(
      serviceEnv('notification-service', {
        ...wiring,
        seedDemoCatalog: true,
        gatewayLatencyMs: 5,
        logLevel: 'warn',
      }),
    ).toEqual({ ...common, LOG_LEVEL: 'warn' });
  });

  it('points the console at order-service and gives it the admin token to sign in with', () => {
    expect(
      serviceEnv('ops-console', { ...wiring, servicePorts: { 'order-service': 18082 } }),
    ).toEqual({
      ...common,
      ADMIN_TOKEN: 'an-admin-token-0123456789',
      ORDER_SERVICE_URL: 'http://127.0.0.1:18082',
    });
    expect(() => serviceEnv('ops-console', wiring)).toThrow("order-service's port");
  });

  it("gives the console every service's API and database it is told of", () => {
    expect(
      serviceEnv('ops-console', {
        ...wiring,
        servicePorts: { 'order-service': 18082, 'notification-service': 18084 },
        serviceDatabaseUrls: {
          'payment-service': 'postgres://shop:shop@127.0.0.1:15432/payment_service',
        },
      }),
    ).toMatchObject({
      ORDER_SERVICE_URL: 'http://127.0.0.1:18082',
      NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:18084',
      PAYMENT_SERVICE_DATABASE_URL: 'postgres://shop:shop@127.0.0.1:15432/payment_service',
    });
  });

  it('connects the console to a secured stack as its own user, not the operator', () => {
    const security = loadStackConfig({ KAFKA_SECURE: 'true' }).kafka.security!;
    expect(
      serviceEnv('ops-console', {
        ...wiring,
        servicePorts: { 'order-service': 18082 },
        kafkaSecurity: security,
      }),
    ).toMatchObject({
      KAFKA_SASL_USERNAME: 'ops-console',
      KAFKA_SASL_PASSWORD: 'ops-console-local-secret',
    });
  });

  it('connects each service to a secured stack as its own SCRAM user', () => {
    const security = loadStackConfig({ KAFKA_SECURE: 'true' }).kafka.security!;
    expect(serviceEnv('payment-service', { ...wiring, kafkaSecurity: security })).toEqual({
      ...common,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'payment-service',
      KAFKA_SASL_PASSWORD: security.users['payment-service'].password,
    });
  });

  it('lets an override win over what it derives', () => {
    expect(
      serviceEnv('order-service', {
        ...wiring,
        env: {
          INVENTORY_URL: 'http://inventory.example:80',
          HTTP_PORT: '0',
          OTEL_SDK_DISABLED: 'false',
        },
      }),
    ).toEqual({
      ...common,
      HTTP_PORT: '0',
      INVENTORY_URL: 'http://inventory.example:80',
      OTEL_SDK_DISABLED: 'false',
    });
  });

  it('refuses to start order-service without the inventory port, inventory without a token', () => {
    expect(() => serviceEnv('order-service', { ...wiring, inventoryPort: undefined })).toThrow(
      /inventoryPort/,
    );
    expect(() => serviceEnv('inventory-service', { ...wiring, adminToken: undefined })).toThrow(
      /adminToken/,
    );
  });
});
