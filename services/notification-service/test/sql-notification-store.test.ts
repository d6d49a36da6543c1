import crypto from 'node:crypto';
import { QueryTypes, Sequelize } from 'sequelize';
import { createMigrator } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import type { Notification, Template } from '../src/domain/notification';
import { NOTIFICATION_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { SqlNotificationHistory } from '../src/adapters/persistence/sql-notification-history';
import { SqlNotificationRepository } from '../src/adapters/persistence/sql-notification-store';
import { SqlPendingNotifications } from '../src/adapters/persistence/sql-pending-notifications';

/** A row as notification-0001 knew it, before delivery was recorded. */
async function insertAsBefore(sequelize: Sequelize, n: Notification): Promise<void> {
  await sequelize.query(
    `INSERT INTO notifications (id, event_id, order_id, customer_id, template, channel, message, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
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
    },
  );
}

/** How the history lists a notification recorded just now: PENDING, not attempted yet. */
const pending = (n: Notification) => ({
  ...n,
  status: 'PENDING',
  attempts: 0,
  sentAt: null,
  lastError: null,
});

let seconds = 0;
function notification(orderId: string, template: Template, customerId = 'alice'): Notification {
  return {
    id: crypto.randomUUID(),
    eventId: crypto.randomUUID(),
    orderId,
    customerId,
    template,
    channel: 'email',
    message: `${template} for ${orderId}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, ++seconds)).toISOString(),
  };
}

// The same assertions on both ways a notification is recorded (DATABASE_PREPARED_STATEMENTS).
describe.each([
  ['Sequelize statements', false],
  ['named prepared statements', true],
])('the notification store on PostgreSQL, %s', (_name, preparedStatements) => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let history: SqlNotificationHistory;

  beforeAll(async () => {
    const db = await createTestDatabase('notification-store');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, NOTIFICATION_MIGRATIONS).up();
    history = new SqlNotificationHistory(sequelize);
  });
  /** Records in a transaction of its own, as the consumer's unit of work does. */
  const record = (n: Notification) =>
    sequelize.transaction((t) =>
      new SqlNotificationRepository(sequelize, t, preparedStatements).insert(n),
    );
  afterAll(async () => {
    await sequelize.close();
    await drop();
  });

  it('records a notification once per event', async () => {
    const n = notification(crypto.randomUUID(), 'order-received');
    expect(await record(n)).toBe(true);
    expect(await record({ ...n, id: crypto.randomUUID() })).toBe(false);
    expect(await history.find({ orderId: n.orderId }, 10)).toEqual([pending(n)]);
  });

  it('records one notification per order and template, whatever event id announces it', async () => {
    const orderId = crypto.randomUUID();
    const first = notification(orderId, 'order-cancelled');
    const reannounced = notification(orderId, 'order-cancelled'); // a fresh event id
    expect(await record(first)).toBe(true);
    expect(await record(reannounced)).toBe(false);
    expect(await record(notification(orderId, 'payment-refunded'))).toBe(true);
    expect(await record(notification(crypto.randomUUID(), 'order-cancelled'))).toBe(true);
    const templates = (await history.find({ orderId }, 10)).map((n) => [n.template, n.eventId]);
    expect(templates).toEqual([
      ['order-cancelled', first.eventId],
      ['payment-refunded', expect.any(String)],
    ]);
  });

  it('lists by customer in order, within the limit, and inside a caller transaction', async () => {
    const customer = `cust-${crypto.randomUUID().slice(0, 8)}`;
    const a = notification(crypto.randomUUID(), 'order-received', customer);
    const b = notification(crypto.randomUUID(), 'order-received', customer);
    await sequelize.transaction(async (t) => {
      const inTx = new SqlNotificationRepository(sequelize, t, preparedStatements);
      expect(await inTx.insert(a)).toBe(true);
      expect(await inTx.insert(b)).toBe(true);
      expect(await history.find({ customerId: customer }, 10)).toEqual([]); // not committed yet
    });
    expect(await history.find({ customerId: customer }, 10)).toEqual([pending(a), pending(b)]);
    expect(await history.find({ customerId: customer }, 1)).toEqual([pending(a)]);
  });

  it('lists each notification with how far its delivery got: sent, given up, or retrying', async () => {
    const orderId = crypto.randomUUID();
    const sent = notification(orderId, 'order-received');
    const failed = notification(orderId, 'payment-failed');
    const retrying = notification(orderId, 'order-cancelled');
    for (const n of [sent, failed, retrying]) await record(n);
    const at = new Date(Date.UTC(2026, 0, 2));
    await new SqlPendingNotifications(sequelize).claimDue(100, at, async () => [
      { id: sent.id, status: 'SENT', attempts: 2, at },
      { id: failed.id, status: 'FAILED', attempts: 5, error: 'mailbox <full>' },
      {
        id: retrying.id,
        status: 'PENDING',
        attempts: 1,
        retryAt: new Date(at.getTime() + 60_000),
        error: 'timed out',
      },
    ]);
    expect(await history.find({ orderId }, 10)).toEqual([
      { ...sent, status: 'SENT', attempts: 2, sentAt: at.toISOString(), lastError: null },
      { ...failed, status: 'FAILED', attempts: 5, sentAt: null, lastError: 'mailbox <full>' },
      { ...retrying, status: 'PENDING', attempts: 1, sentAt: null, lastError: 'timed out' },
    ]);
  });

  it('keeps the first of the duplicates recorded before notification-0002', async () => {
    const db = await createTestDatabase('notification-migrate');
    const old = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    try {
      const migrator = createMigrator(old, NOTIFICATION_MIGRATIONS);
      await migrator.up({ to: 'notification-0001-notifications' });
      const orderId = crypto.randomUUID();
      const first = notification(orderId, 'order-cancelled');
      const second = notification(orderId, 'order-cancelled');
      const received = notification(orderId, 'order-received');
      for (const n of [second, first, received]) await insertAsBefore(old, n);
      await migrator.up({ to: 'notification-0002-one-per-order-and-template' });
      const rows = await old.query<{ event_id: string }>(
        'SELECT event_id FROM notifications ORDER BY created_at',
        { type: QueryTypes.SELECT },
      );
      expect(rows.map((r) => r.event_id)).toEqual([first.eventId, received.eventId]);
    } finally {
      await old.close();
      await db.drop();
    }
  });

  it('takes the notifications recorded before notification-0003 as sent, and records new ones PENDING', async () => {
    const db = await createTestDatabase('notification-migrate');
    const old = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    try {
      const migrator = createMigrator(old, NOTIFICATION_MIGRATIONS);
      await migrator.up({ to: 'notification-0002-one-per-order-and-template' });
      const before = notification(crypto.randomUUID(), 'order-received');
      await insertAsBefore(old, before);
      await migrator.up();
      const after = notification(crypto.randomUUID(), 'order-received');
      await old.transaction((t) =>
        new SqlNotificationRepository(old, t, preparedStatements).insert(after),
      );
      const rows = await old.query<{ id: string; status: string; attempts: number }>(
        'SELECT id, status, attempts FROM notifications ORDER BY created_at',
        { type: QueryTypes.SELECT },
      );
      expect(rows).toEqual([
        { id: before.id, status: 'SENT', attempts: 0 },
        { id: after.id, status: 'PENDING', attempts: 0 },
      ]);
    } finally {
      await old.close();
      await db.drop();
    }
  });
});
