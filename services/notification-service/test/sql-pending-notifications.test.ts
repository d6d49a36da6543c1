import crypto from 'node:crypto';
import { QueryTypes, Sequelize } from 'sequelize';
import { createMigrator } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import type { Notification } from '../src/domain/notification';
import type { PendingNotification } from '../src/application/ports';
import { NOTIFICATION_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { SqlNotificationRepository } from '../src/adapters/persistence/sql-notification-store';
import { SqlPendingNotifications } from '../src/adapters/persistence/sql-pending-notifications';

const T0 = new Date('2026-01-01T00:00:00.000Z');

function notification(): Notification {
  return {
    id: crypto.randomUUID(),
    eventId: crypto.randomUUID(),
    orderId: crypto.randomUUID(),
    customerId: 'alice',
    template: 'order-received',
    channel: 'email',
    message: 'We received your order.',
    createdAt: T0.toISOString(),
  };
}

describe('the PENDING notifications on PostgreSQL', () => {
  let sequelize: Sequelize;
  let drop: () => Promise<void>;
  let pending: SqlPendingNotifications;

  beforeAll(async () => {
    const db = await createTestDatabase('notification-pending');
    drop = db.drop;
    sequelize = new Sequelize(db.url, { logging: false, dialect: 'postgres' });
    await createMigrator(sequelize, NOTIFICATION_MIGRATIONS).up();
    pending = new SqlPendingNotifications(sequelize);
  });
  afterAll(async () => {
    await sequelize.close();
    await drop();
  });
  beforeEach(() => sequelize.query('DELETE FROM notifications'));

  const record = (...ns: Notification[]) =>
    sequelize.transaction(async (t) => {
      for (const n of ns) await new SqlNotificationRepository(sequelize, t, true).insert(n);
    });
  const state = async (id: string) =>
    (
      await sequelize.query<{ status: string; attempts: number; last_error: string | null }>(
        'SELECT status, attempts, last_error FROM notifications WHERE id = $1',
        { bind: [id], type: QueryTypes.SELECT },
      )
    )[0];
  const ids = (due: readonly PendingNotification[]) => due.map((n) => n.id).sort();

  it('hands out the due ones and records what became of each', async () => {
    const [sent, retried, failed] = [notification(), notification(), notification()];
    await record(sent, retried, failed);
    const later = new Date(T0.getTime() + 60_000);
    let claimed: PendingNotification[] = [];
    await pending.claimDue(10, T0, async (due) => {
      claimed = [...due];
      return [
        { id: sent.id, status: 'SENT', attempts: 1, at: T0 },
        { id: retried.id, status: 'PENDING', attempts: 1, retryAt: later, error: 'busy' },
        { id: failed.id, status: 'FAILED', attempts: 1, error: 'no such mailbox' },
      ];
    });
    expect(ids(claimed)).toEqual([sent.id, retried.id, failed.id].sort());
    expect(claimed.find((n) => n.id === sent.id)).toEqual({ ...sent, attempts: 0 });
    expect(await state(sent.id)).toEqual({ status: 'SENT', attempts: 1, last_error: null });
    expect(await state(retried.id)).toEqual({ status: 'PENDING', attempts: 1, last_error: 'busy' });
    expect(await state(failed.id)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(await pending.count()).toBe(1);

    // Only the retried one, and only once its time came.
    const dueAt = async (at: Date) => {
      let due: string[] = [];
      await pending.claimDue(10, at, async (d) => ((due = ids(d)), []));
      return due;
    };
    expect(await dueAt(new Date(later.getTime() - 1))).toEqual([]);
    expect(await dueAt(later)).toEqual([retried.id]);
  });

  it('lets two claims at once take different notifications, never the same one', async () => {
    const all = Array.from({ length: 6 }, notification);
    await record(...all);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first: string[] = [];
    const firstClaim = pending.claimDue(3, T0, async (due) => {
      first = ids(due);
      await held; // still sending while the other replica claims
      return [];
    });
    while (first.length === 0) await new Promise((r) => setTimeout(r, 10));
    let second: string[] = [];
    await pending.claimDue(10, T0, async (due) => ((second = ids(due)), []));
    release();
    await firstClaim;
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(3);
    expect([...first, ...second].sort()).toEqual(ids(all.map((n) => ({ ...n, attempts: 0 }))));
  });

  it('leaves a claim that broke off before recording PENDING and due, as a crash does', async () => {
    const n = notification();
    await record(n);
    await expect(
      pending.claimDue(10, T0, async () => {
        throw new Error('process died mid-send');
      }),
    ).rejects.toThrow('process died mid-send');
    expect(await state(n.id)).toEqual({ status: 'PENDING', attempts: 0, last_error: null });
    let again: string[] = [];
    await pending.claimDue(10, T0, async (d) => ((again = ids(d)), []));
    expect(again).toEqual([n.id]);
  });
});
