import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { TransactionScope, UnitOfWorkFactory } from '@shop/messaging';
import type { Notification } from '../../domain/notification';
import type { NotificationRepository, NotificationUnitOfWork } from '../../application/ports';

/** notification-service's unit of work in PostgreSQL, over the consumer's scope. */
export function notificationUnitOfWork(
  sequelize: Sequelize,
): UnitOfWorkFactory<NotificationUnitOfWork> {
  return ({ transaction, afterCommit }: TransactionScope) => ({
    notifications: new SqlNotificationRepository(sequelize, transaction),
    afterCommit,
  });
}

interface Row {
  id: string;
  event_id: string;
  order_id: string;
  customer_id: string;
  template: Notification['template'];
  channel: Notification['channel'];
  message: string;
  created_at: Date;
}

export class SqlNotificationRepository implements NotificationRepository {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction?: Transaction,
  ) {}

  /** Does nothing on either unique key: the event (event_id) or the fact (order_id, template). */
  async insert(n: Notification): Promise<boolean> {
    const inserted = await this.sequelize.query(
      `INSERT INTO notifications (id, event_id, order_id, customer_id, template, channel, message, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      {
        bind: [
          n.id,
          n.eventId,
          n.orderId,
          n.customerId,
          n.template,
          n.channel,
          n.message,
          n.createdAt,
        ],
        transaction: this.transaction,
        type: QueryTypes.SELECT,
      },
    );
    return inserted.length > 0;
  }

  async find(
    filter: { orderId?: string; customerId?: string },
    limit: number,
  ): Promise<Notification[]> {
    const rows = await this.sequelize.query<Row>(
      `SELECT * FROM notifications
       WHERE ($1::uuid IS NULL OR order_id = $1::uuid) AND ($2::text IS NULL OR customer_id = $2)
       ORDER BY created_at, id LIMIT $3`,
      {
        bind: [filter.orderId ?? null, filter.customerId ?? null, limit],
        transaction: this.transaction,
        type: QueryTypes.SELECT,
      },
    );
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      orderId: r.order_id,
      customerId: r.customer_id,
      template: r.template,
      channel: r.channel,
      message: r.message,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
