import { sqlMigration, type Migration } from '@shop/messaging';

export const PAYMENT_MIGRATIONS: readonly Migration[] = [
  sqlMigration(
    'payment-0001-payments',
    `CREATE TABLE payments (
       id                 uuid PRIMARY KEY,
       order_id           uuid NOT NULL UNIQUE,
       customer_id        text NOT NULL,
       amount_cents       integer NOT NULL CHECK (amount_cents >= 0),
       currency           char(3) NOT NULL,
       status             text NOT NULL CHECK (status IN ('CAPTURED','DECLINED','REFUNDED','VOIDED')),
       gateway_reference  text,
       failure_reason     text,
       refund_reference   text,
       created_at         timestamptz NOT NULL,
       updated_at         timestamptz NOT NULL
     );
     CREATE TABLE cancelled_orders (
       order_id      uuid PRIMARY KEY,
       reason        text NOT NULL,
       cancelled_at  timestamptz NOT NULL DEFAULT now()
     );`,
    'DROP TABLE cancelled_orders; DROP TABLE payments;',
  ),
  sqlMigration(
    'payment-0002-simulated-gateway-ledger',
    `-- The simulated gateway's own books: what a real provider would keep on its side.
     CREATE TABLE gateway_ledger (
       idempotency_key  text PRIMARY KEY,
       kind             text NOT NULL CHECK (kind IN ('capture','decline','refund')),
       order_id         uuid NOT NULL,
       amount_cents     integer NOT NULL,
       reference        text NOT NULL,
       reason           text,
       created_at       timestamptz NOT NULL DEFAULT now()
     );
     CREATE INDEX gateway_ledger_order ON gateway_ledger (order_id);`,
    'DROP TABLE gateway_ledger;',
  ),
  sqlMigration(
    'payment-0003-gateway-ledger-currency',
    `-- A provider's books name each movement's currency. payment-service needs it to give back, and
     -- announce, a capture that no payment row records (its handler failed before the commit).
     ALTER TABLE gateway_ledger ADD COLUMN currency char(3);
     UPDATE gateway_ledger g SET currency = p.currency FROM payments p WHERE p.order_id = g.order_id;
     -- Entries with no payment row: the shop sells in one currency (inventory's CURRENCY), so they
     -- take the one its payments were made in (USD, the default, if there are none yet).
     UPDATE gateway_ledger SET currency = coalesce(
       (SELECT currency FROM payments GROUP BY currency ORDER BY count(*) DESC LIMIT 1), 'USD')
     WHERE currency IS NULL;
     ALTER TABLE gateway_ledger ALTER COLUMN currency SET NOT NULL;`,
    'ALTER TABLE gateway_ledger DROP COLUMN currency;',
  ),
];
