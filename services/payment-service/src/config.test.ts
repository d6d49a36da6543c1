import { loadPaymentConfig } from './config';

const env = {
  HTTP_PORT: '0',
  KAFKA_BROKERS: 'localhost:9092',
  DATABASE_URL: 'postgres://localhost/payment',
};

describe('payment-service configuration', () => {
  it('captures a chunk’s payments ahead and runs its steps as prepared statements', () => {
    expect(loadPaymentConfig(env)).toMatchObject({
      GATEWAY_CAPTURES_AHEAD: true,
      DATABASE_PREPARED_STATEMENTS: true,
    });
  });

  it('keeps the baseline reachable', () => {
    expect(
      loadPaymentConfig({
        ...env,
        GATEWAY_CAPTURES_AHEAD: 'false',
        DATABASE_PREPARED_STATEMENTS: 'false',
      }),
    ).toMatchObject({ GATEWAY_CAPTURES_AHEAD: false, DATABASE_PREPARED_STATEMENTS: false });
  });
});
