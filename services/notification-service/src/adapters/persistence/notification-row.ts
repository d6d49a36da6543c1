import type { Notification } from '../../domain/notification';

/** A notifications row as PostgreSQL returns it, the columns a Notification is read from. */
export interface NotificationRow {
  id: string;
  event_id: string;
  order_id: string;
  customer_id: string;
  template: Notification['template'];
  channel: Notification['channel'];
  message: string;
  created_at: Date;
}

export const NOTIFICATION_COLUMNS =
  'id, event_id, order_id, customer_id, template, channel, message, created_at';

export function notificationOf(r: NotificationRow): Notification {
  return {
    id: r.id,
    eventId: r.event_id,
    orderId: r.order_id,
    customerId: r.customer_id,
    template: r.template,
    channel: r.channel,
    message: r.message,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
