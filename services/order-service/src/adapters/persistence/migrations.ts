import { sqlMigration, type Migration } from '@shop/messaging';

export const ORDER_MIGRATIONS: readonly Migration[] = [
  sqlMigration(
    'order-0001-orders',
    `CREATE TABLE orders (
       id                   uuid PRIMARY KEY,
       customer_id          text NOT NULL,
       status               text NOT NULL CHECK (status IN ('PENDING','CONFIRMED','CANCELLING','COMPLETED','CANCELLED')),
       lines                jsonb NOT NULL,
       payment_method       jsonb NOT NULL,
       priced_lines         jsonb,
       amount_cents         integer CHECK (amount_cents >= 0),
       currency             char(3),
       payment_id           uuid,
       cancellation_reason  text,
       short_lines          jsonb,
       history              jsonb NOT NULL,
       created_at           timestamptz NOT NULL,
       updated_at           timestamptz NOT NULL
     );
     CREATE INDEX orders_customer ON orders (customer_id, created_at DESC);
     CREATE INDEX orders_status ON orders (status, created_at DESC);
     CREATE TABLE idempotency_keys (
       key           text PRIMARY KEY,
       request_hash  text NOT NULL,
       order_id      uuid NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
       created_at    timestamptz NOT NULL DEFAULT now()
     );`,
    'DROP TABLE idempotency_keys; DROP TABLE orders;',
  ),
];
