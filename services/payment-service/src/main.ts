import { tracing } from './instrumentation';
import { runService, startService, type StartedService } from '@shop/service-kit';
import { systemClock } from './application/clock';
import { CapturesAhead } from './application/captures-ahead';
import { PaymentSaga } from './application/payment-saga';
import { SimulatedGateway } from './adapters/gateway/simulated-gateway';
import { SqlGatewayLedger } from './adapters/gateway/sql-gateway-ledger';
import { paymentEventHandlers } from './adapters/messaging/payment-events.listener';
import { prometheusPaymentMetrics } from './adapters/metrics/prometheus-payment-metrics';
import { PAYMENT_MIGRATIONS } from './adapters/persistence/migrations';
import { paymentUnitOfWork } from './adapters/persistence/sql-payment-store';
import { paymentProblem, paymentRouter } from './adapters/web/payment.http';
import { loadPaymentConfig, type PaymentConfig } from './config';

/** The composition root: every adapter of payment-service is built and wired here, and nowhere else. */
export function startPaymentService(config: PaymentConfig): Promise<StartedService> {
  return startService(
    'payment-service',
    config,
    PAYMENT_MIGRATIONS,
    ({ sequelize, messaging, registry }) => {
      const gateway = new SimulatedGateway(new SqlGatewayLedger(sequelize), {
        latencyMs: config.GATEWAY_LATENCY_MS,
        declineReferences: config.GATEWAY_DECLINE_REFERENCES,
        declineAboveCents: config.GATEWAY_DECLINE_ABOVE_CENTS,
        transientFailureRate: config.GATEWAY_TRANSIENT_FAILURE_RATE,
        flakyReference: config.GATEWAY_FLAKY_REFERENCE,
      });
      const capturesAhead = config.GATEWAY_CAPTURES_AHEAD ? new CapturesAhead(gateway) : undefined;
      const transactions = messaging.transactions(
        paymentUnitOfWork(sequelize, { preparedStatements: config.DATABASE_PREPARED_STATEMENTS }),
      );
      return {
        router: paymentRouter(transactions),
        mapError: paymentProblem,
        events: transactions.subscribe(
          paymentEventHandlers(
            new PaymentSaga(
              capturesAhead ?? gateway,
              systemClock,
              prometheusPaymentMetrics(registry),
            ),
            capturesAhead,
          ),
        ),
      };
    },
  );
}

export { loadPaymentConfig, PaymentConfigSchema } from './config';

if (require.main === module) {
  runService(
    'payment-service',
    () => startPaymentService(loadPaymentConfig()),
    () => tracing.shutdown(),
  );
}
