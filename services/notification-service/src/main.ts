import { tracing } from './instrumentation';
import { runService, startService, type StartedService } from '@shop/service-kit';
import { systemClock } from './application/clock';
import { NotifyCustomer } from './application/notify-customer';
import { notificationEventHandlers } from './adapters/messaging/notification-events.listener';
import { NOTIFICATION_MIGRATIONS } from './adapters/persistence/migrations';
import {
  SqlNotificationRepository,
  notificationUnitOfWork,
} from './adapters/persistence/sql-notification-store';
import { LoggingSender } from './adapters/sender/logging-sender';
import { notificationRouter } from './adapters/web/notification.http';
import { loadNotificationConfig, type NotificationConfig } from './config';

/** The composition root: every adapter of notification-service is built and wired here, and nowhere else. */
export function startNotificationService(config: NotificationConfig): Promise<StartedService> {
  return startService(
    'notification-service',
    config,
    NOTIFICATION_MIGRATIONS,
    ({ sequelize, messaging, logger }) => ({
      router: notificationRouter(new SqlNotificationRepository(sequelize)),
      events: messaging
        .transactions(
          notificationUnitOfWork(sequelize, {
            preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
          }),
        )
        .subscribe(
          notificationEventHandlers(
            new NotifyCustomer(new LoggingSender(logger), systemClock, (n, error) =>
              logger.error(
                { err: error, notificationId: n.id, orderId: n.orderId, template: n.template },
                'notification not sent',
              ),
            ),
          ),
        ),
    }),
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
