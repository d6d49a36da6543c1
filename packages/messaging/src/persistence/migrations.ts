import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type RunnableMigration } from 'umzug';

export type Migration = RunnableMigration<QueryInterface>;

/** A migration written as plain SQL, up and down. */
export function sqlMigration(name: string, up: string, down: string): Migration {
  return {
    name,
    up: async ({ context }) => void (await context.sequelize.query(up)),
    down: async ({ context }) => void (await context.sequelize.query(down)),
  };
}

/** The kit's tables; each service runs them before its own migrations. */
export const MESSAGING_MIGRATIONS: readonly Migration[] = [
  sqlMigration(
    '0001-messaging-outbox',
    `CREATE TABLE outbox (
       id            bigserial PRIMARY KEY,
       event_id      uuid NOT NULL UNIQUE,
       event_type    text NOT NULL,
       topic         text NOT NULL,
       message_key   text NOT NULL,
       value         text NOT NULL,
       headers       jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at    timestamptz NOT NULL DEFAULT now(),
       published_at  timestamptz
     );
     CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
     CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;`,
    'DROP TABLE outbox;',
  ),
  sqlMigration(
    '0002-messaging-processed-events',
    `CREATE TABLE processed_events (
       consumer_group  text NOT NULL,
       event_id        uuid NOT NULL,
       event_type      text NOT NULL,
       topic           text NOT NULL,
       "partition"     integer NOT NULL,
       "offset"        bigint NOT NULL,
       processed_at    timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer_group, event_id)
     );
     CREATE INDEX processed_events_processed_at ON processed_events (processed_at);`,
    'DROP TABLE processed_events;',
  ),
];

/** Runs the kit's migrations, then the service's own, recorded in SequelizeMeta. */
export function createMigrator(
  sequelize: Sequelize,
  serviceMigrations: readonly Migration[] = [],
): Umzug<QueryInterface> {
  return new Umzug({
    migrations: [...MESSAGING_MIGRATIONS, ...serviceMigrations],
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize }),
    logger: undefined,
  });
}
