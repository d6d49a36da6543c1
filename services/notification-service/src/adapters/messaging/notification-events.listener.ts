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
    notify.execute(new SqlNotificationRepository(sequelize, ctx.transaction), event);
  return {
    OrderCreated: handle,
    OrderCompleted: handle,
    OrderCancelled: handle,
    PaymentFailed: handle,
    PaymentRefunded: handle,
  };
}
