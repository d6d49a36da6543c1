import { QueryTypes, type Sequelize } from 'sequelize';
import type { DeliveryStatus } from '../../domain/delivery';
import type { NotificationHistory, RecordedNotification } from '../../application/ports';
import { NOTIFICATION_COLUMNS, notificationOf, type NotificationRow } from './notification-row';

interface RecordedRow extends NotificationRow {
  status: DeliveryStatus;
  attempts: number;
  sent_at: Date | null;
  last_error: string | null;
}

/** The notifications table read for the API: each notification with its delivery state. */
export class SqlNotificationHistory implements NotificationHistory {
  constructor(private readonly sequelize: Sequelize) {}

  async find(
    filter: { orderId?: string; customerId?: string },
    limit: number,
  ): Promise<RecordedNotification[]> {
    const rows = await this.sequelize.query<RecordedRow>(
      `SELECT ${NOTIFICATION_COLUMNS}, status, attempts, sent_at, last_error FROM notifications
       WHERE ($1::uuid IS NULL OR order_id = $1::uuid) AND ($2::text IS NULL OR customer_id = $2)
       ORDER BY created_at, id LIMIT $3`,
      {
        bind: [filter.orderId ?? null, filter.customerId ?? null, limit],
        type: QueryTypes.SELECT,
      },
    );
    return rows.map((r) => ({
      ...notificationOf(r),
      status: r.status,
      attempts: r.attempts,
      sentAt: r.sent_at === null ? null : new Date(r.sent_at).toISOString(),
      lastError: r.last_error,
    }));
  }
}
