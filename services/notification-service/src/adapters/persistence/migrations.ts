import { sqlMigration, type Migration } from '@shop/messaging';

export const NOTIFICATION_MIGRATIONS: readonly Migration[] = [
  sqlMigration(
    'notification-0001-notifications',
    `CREATE TABLE notifications (
       id           uuid PRIMARY KEY,
       event_id     uuid NOT NULL UNIQUE,
       order_id     uuid NOT NULL,
       customer_id  text NOT NULL,
       template     text NOT NULL,
       channel      text NOT NULL,
       message      text NOT NULL,
       created_at   timestamptz NOT NULL
     );
     CREATE INDEX notifications_order ON notifications (order_id, created_at);
     CREATE INDEX notifications_customer ON notifications (customer_id, created_at DESC);`,
    'DROP TABLE notifications;',
  ),
  sqlMigration(
    'notification-0002-one-per-order-and-template',
    `-- One notification per customer-facing fact, not only per event: order-service announces
     -- OrderCancelled again, with a new event id, when a reservation arrives after the cancel (so
     -- inventory releases it), and the customer must not be told twice. Duplicates recorded before
     -- were already sent; the first of each stays as the record of what the customer was told.
     DELETE FROM notifications later USING notifications earlier
      WHERE later.order_id = earlier.order_id AND later.template = earlier.template
        AND (earlier.created_at, earlier.id) < (later.created_at, later.id);
     ALTER TABLE notifications
       ADD CONSTRAINT notifications_one_per_order_template UNIQUE (order_id, template);`,
    'ALTER TABLE notifications DROP CONSTRAINT notifications_one_per_order_template;',
  ),
  sqlMigration(
    'notification-0003-delivery',
    `-- Delivery is recorded with the notification: PENDING in the consumer's transaction, SENT or
     -- FAILED by the delivery rounds. The rows recorded before were sent right after their commit
     -- (at most once), so they are SENT: an upgrade must not send the history again.
     ALTER TABLE notifications
       ADD COLUMN status text NOT NULL DEFAULT 'SENT'
         CONSTRAINT notifications_status CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
       ADD COLUMN attempts integer NOT NULL DEFAULT 0,
       ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
       ADD COLUMN sent_at timestamptz,
       ADD COLUMN last_error text;
     ALTER TABLE notifications ALTER COLUMN status SET DEFAULT 'PENDING';
     CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'PENDING';`,
    `DROP INDEX notifications_due;
     ALTER TABLE notifications DROP COLUMN status, DROP COLUMN attempts,
       DROP COLUMN next_attempt_at, DROP COLUMN sent_at, DROP COLUMN last_error;`,
  ),
];
