import type { EventHandler, EventHandlers } from '@shop/messaging';
import type { NotifyCustomer } from '../../application/notify-customer';
import type { NotificationUnitOfWork } from '../../application/ports';

/** The customer events notification-service consumes; each records one notification to deliver. */
export function notificationEventHandlers(
  notify: NotifyCustomer,
): EventHandlers<NotificationUnitOfWork> {
  const handle: EventHandler<
    'OrderCreated' | 'OrderCompleted' | 'OrderCancelled' | 'PaymentFailed' | 'PaymentRefunded',
    NotificationUnitOfWork
  > = (event, uow) => notify.execute(uow, event);
  return {
    OrderCreated: handle,
    OrderCompleted: handle,
    OrderCancelled: handle,
    PaymentFailed: handle,
    PaymentRefunded: handle,
  };
}
