import { tracing } from './instrumentation';
import { runService, startService, type StartedService } from '@shop/service-kit';
import type { Logger } from '@shop/observability';
import { systemClock } from './application/clock';
import { DeliverNotifications } from './application/deliver-notifications';
import { NotifyCustomer } from './application/notify-customer';
import type { NotificationSender } from './application/ports';
import { notificationEventHandlers } from './adapters/messaging/notification-events.listener';
import { prometheusDeliveryObserver } from './adapters/metrics/prometheus-delivery-observer';
import { NOTIFICATION_MIGRATIONS } from './adapters/persistence/migrations';
import { SqlNotificationHistory } from './adapters/persistence/sql-notification-history';
import { notificationUnitOfWork } from './adapters/persistence/sql-notification-store';
import { SqlPendingNotifications } from './adapters/persistence/sql-pending-notifications';
import { DeliveryLoop } from './adapters/scheduling/delivery-loop';
import { LoggingSender } from './adapters/sender/logging-sender';
import { notificationRouter } from './adapters/web/notification.http';
import { loadNotificationConfig, type NotificationConfig } from './config';

/** The outside world a deployment picks; a test puts its own provider here. */
export interface NotificationAdapters {
  readonly sender?: (logger: Logger) => NotificationSender;
}

/** The composition root: every adapter of notification-service is built and wired here, and nowhere else. */
export function startNotificationService(
  config: NotificationConfig,
  adapters: NotificationAdapters = {},
): Promise<StartedService> {
  return startService(
    'notification-service',
    config,
    NOTIFICATION_MIGRATIONS,
    ({ sequelize, messaging, logger, registry }) => {
      const pending = new SqlPendingNotifications(sequelize);
      const deliver = new DeliverNotifications(
        pending,
        adapters.sender?.(logger) ?? new LoggingSender(logger),
        systemClock,
        prometheusDeliveryObserver(registry, logger, pending),
        {
          batchSize: config.NOTIFICATION_DELIVERY_BATCH_SIZE,
          sendTimeoutMs: config.NOTIFICATION_SEND_TIMEOUT_MS,
          maxAttempts: config.NOTIFICATION_MAX_ATTEMPTS,
          firstDelayMs: config.NOTIFICATION_RETRY_FIRST_DELAY_MS,
          maxDelayMs: config.NOTIFICATION_RETRY_MAX_DELAY_MS,
        },
      );
      const deliveries = new DeliveryLoop(() => deliver.round(), {
        intervalMs: config.NOTIFICATION_DELIVERY_INTERVAL_MS,
        batchSize: config.NOTIFICATION_DELIVERY_BATCH_SIZE,
        onError: (err) => logger.warn({ err }, 'notification delivery round failed; will retry'),
      });
      return {
        router: notificationRouter(new SqlNotificationHistory(sequelize)),
        events: messaging
          .transactions(
            notificationUnitOfWork(sequelize, {
              preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
            }),
          )
          .subscribe(
            notificationEventHandlers(new NotifyCustomer(systemClock, () => deliveries.nudge())),
          ),
        // What a crash left PENDING goes out now, before the first new event.
        beforeStart: async () => deliveries.start(),
        beforeStop: () => deliveries.stop(),
      };
    },
  );
}

export { loadNotificationConfig, NotificationConfigSchema } from './config';

if (require.main === module) {
  runService(
    'notification-service',
    () => startNotificationService(loadNotificationConfig()),
    () => tracing.shutdown(),
  );
}
