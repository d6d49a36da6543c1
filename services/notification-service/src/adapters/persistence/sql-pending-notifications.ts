import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type {
  DeliveryOutcome,
  PendingNotification,
  PendingNotifications,
} from '../../application/ports';
import { NOTIFICATION_COLUMNS, notificationOf, type NotificationRow } from './notification-row';

/**
 * The PENDING notifications in PostgreSQL. A claim is a transaction holding the claimed rows'
 * locks while they are sent: another replica's claim skips them (SKIP LOCKED) rather than waiting
 * or sending them too, and a replica that dies mid-claim drops its locks with its connection,
 * leaving the rows PENDING and due for the next claim.
 */
export class SqlPendingNotifications implements PendingNotifications {
  constructor(private readonly sequelize: Sequelize) {}

  claimDue(
    limit: number,
    at: Date,
    deliver: (due: readonly PendingNotification[]) => Promise<DeliveryOutcome[]>,
  ): Promise<number> {
    return this.sequelize.transaction(async (transaction) => {
      const rows = await this.sequelize.query<NotificationRow & { attempts: number }>(
        `SELECT ${NOTIFICATION_COLUMNS}, attempts FROM notifications
         WHERE status = 'PENDING' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        { bind: [at, limit], transaction, type: QueryTypes.SELECT },
      );
      if (rows.length === 0) return 0;
      const outcomes = await deliver(
        rows.map((r) => ({ ...notificationOf(r), attempts: r.attempts })),
      );
      await this.recordSent(
        outcomes.filter((o) => o.status === 'SENT'),
        transaction,
      );
      for (const outcome of outcomes) {
        if (outcome.status !== 'SENT') await this.recordFailure(outcome, transaction);
      }
      return rows.length;
    });
  }

  async count(): Promise<number> {
    const [row] = await this.sequelize.query<{ pending: string }>(
      `SELECT count(*) AS pending FROM notifications WHERE status = 'PENDING'`,
      { type: QueryTypes.SELECT },
    );
    return Number(row?.pending ?? 0);
  }

  /** One statement for the whole batch: on the hot path, most outcomes are SENT. */
  private async recordSent(
    sent: ReadonlyArray<Extract<DeliveryOutcome, { status: 'SENT' }>>,
    transaction: Transaction,
  ): Promise<void> {
    if (sent.length === 0) return;
    await this.sequelize.query(
      `UPDATE notifications n
       SET status = 'SENT', attempts = s.attempts, sent_at = s.at, last_error = NULL
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS s(id, attempts, at)
       WHERE n.id = s.id`,
      {
        bind: [sent.map((o) => o.id), sent.map((o) => o.attempts), sent.map((o) => o.at)],
        transaction,
      },
    );
  }

  private async recordFailure(
    outcome: Exclude<DeliveryOutcome, { status: 'SENT' }>,
    transaction: Transaction,
  ): Promise<void> {
    const [sql, values] =
      outcome.status === 'PENDING'
        ? [
            `UPDATE notifications SET attempts = $2, next_attempt_at = $3, last_error = $4
             WHERE id = $1`,
            [outcome.id, outcome.attempts, outcome.retryAt, outcome.error],
          ]
        : [
            `UPDATE notifications SET status = 'FAILED', attempts = $2, last_error = $3
             WHERE id = $1`,
            [outcome.id, outcome.attempts, outcome.error],
          ];
    await this.sequelize.query(sql, { bind: values, transaction });
  }
}
