import type { Sequelize } from 'sequelize';
import type { EventHandler, EventHandlers } from '@shop/messaging';
import type { NotifyCustomer } from '../../application/notify-customer';
import { SqlNotificationRepository } from '../persistence/sql-notification-repository';

/** The customer events notification-service consumes; each records and sends one notification. */
export function notificationEventHandlers(
  notify: NotifyCustomer,
  sequelize: Sequelize,
): EventHandlers {
  const handle: EventHandler<
    'OrderCreated' | 'OrderCompleted' | 'OrderCancelled' | 'PaymentFailed' | 'PaymentRefunded'
  > = (event, ctx) =>
    notify.execute(
      {
        notifications: new SqlNotificationRepository(sequelize, ctx.transaction),
        // The kit's hook: runs after the record's chunk really committed, savepoints included.
        afterCommit: ctx.afterCommit,
      },
      event,
    );
  return {
    OrderCreated: handle,
    OrderCompleted: handle,
    OrderCancelled: handle,
    PaymentFailed: handle,
    PaymentRefunded: handle,
  };
}
