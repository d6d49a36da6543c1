import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { runPrepared, type TransactionScope, type UnitOfWorkFactory } from '@shop/messaging';
import type { Notification } from '../../domain/notification';
import type { NotificationRepository, NotificationUnitOfWork } from '../../application/ports';
import { NOTIFICATION_COLUMNS } from './notification-row';

/**
 * notification-service's unit of work in PostgreSQL, over the consumer's scope. With
 * `preparedStatements` a notification is recorded by a named prepared statement (issue 15).
 */
export function notificationUnitOfWork(
  sequelize: Sequelize,
  { preparedStatements }: { preparedStatements: boolean },
): UnitOfWorkFactory<NotificationUnitOfWork> {
  return ({ transaction, afterCommit }: TransactionScope) => ({
    notifications: new SqlNotificationRepository(sequelize, transaction, preparedStatements),
    afterCommit,
  });
}

const INSERT = {
  name: 'notification-insert',
  // Due at once: the delivery round after the commit sends it.
  text: `INSERT INTO notifications (${NOTIFICATION_COLUMNS}, status, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING', $8) ON CONFLICT DO NOTHING RETURNING id`,
};

export class SqlNotificationRepository implements NotificationRepository {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction?: Transaction,
    /** Needs the transaction: a prepared statement runs on its connection. */
    private readonly preparedStatements = false,
  ) {}

  /** Does nothing on either unique key: the event (event_id) or the fact (order_id, template). */
  async insert(n: Notification): Promise<boolean> {
    const values = [
      n.id,
      n.eventId,
      n.orderId,
      n.customerId,
      n.template,
      n.channel,
      n.message,
      n.createdAt,
    ];
    if (this.preparedStatements && this.transaction) {
      return (await runPrepared(this.transaction, INSERT, values)).rowCount > 0;
    }
    const inserted = await this.sequelize.query(INSERT.text, {
      bind: values,
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    });
    return inserted.length > 0;
  }
}
