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
];
