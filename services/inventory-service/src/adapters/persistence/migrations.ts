import { sqlMigration, type Migration } from '@shop/messaging';

export const INVENTORY_MIGRATIONS: readonly Migration[] = [
  sqlMigration(
    'inventory-0001-products-and-reservations',
    `CREATE TABLE products (
       id             text PRIMARY KEY,
       name           text NOT NULL,
       price_cents    integer NOT NULL CHECK (price_cents >= 0),
       available      integer NOT NULL CHECK (available >= 0),
       reserved       integer NOT NULL CHECK (reserved >= 0),
       sold           integer NOT NULL CHECK (sold >= 0),
       initial_stock  integer NOT NULL CHECK (initial_stock >= 0),
       restocked      integer NOT NULL CHECK (restocked >= 0),
       created_at     timestamptz NOT NULL DEFAULT now(),
       updated_at     timestamptz NOT NULL DEFAULT now(),
       -- The stock equation, enforced by the database as a last line of defence.
       CONSTRAINT stock_balances CHECK (available + reserved + sold = initial_stock + restocked)
     );
     CREATE TABLE reservations (
       order_id    uuid PRIMARY KEY,
       status      text NOT NULL CHECK (status IN ('RESERVED','DEDUCTED','RELEASED','RETURNED','REJECTED')),
       lines       jsonb NOT NULL,
       created_at  timestamptz NOT NULL DEFAULT now(),
       updated_at  timestamptz NOT NULL DEFAULT now()
     );
     CREATE INDEX reservations_active ON reservations (status) WHERE status IN ('RESERVED','DEDUCTED');`,
    'DROP TABLE reservations; DROP TABLE products;',
  ),
  sqlMigration(
    'inventory-0002-stock-reconciliation',
    `-- One row: the last interval a replica claimed to reconcile, and the last success.
     CREATE TABLE stock_reconciliation (
       singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       period        bigint NOT NULL,
       succeeded_at  timestamptz,
       accuracy      double precision CHECK (accuracy BETWEEN 0 AND 1),
       products      integer CHECK (products >= 0)
     );`,
    'DROP TABLE stock_reconciliation;',
  ),
];
