import crypto from 'node:crypto';
import type { Notification } from '../domain/notification';
import { DeliverNotifications, type DeliverySettings } from './deliver-notifications';
import type {
  DeliveryObserver,
  DeliveryOutcome,
  NotificationSender,
  PendingNotification,
  PendingNotifications,
} from './ports';

interface Row extends Omit<PendingNotification, 'attempts'> {
  attempts: number;
  status: 'PENDING' | 'SENT' | 'FAILED';
  dueAt: Date;
  error?: string;
}

/** The notifications table's delivery columns in memory; a claim is one round, as in SQL. */
class InMemoryPending implements PendingNotifications {
  rows: Row[] = [];
  add(n: Notification, at: Date): void {
    this.rows.push({ ...n, attempts: 0, status: 'PENDING', dueAt: at });
  }
  row(id: string): Row {
    return this.rows.find((r) => r.id === id)!;
  }
  async claimDue(
    limit: number,
    at: Date,
    deliver: (due: readonly PendingNotification[]) => Promise<DeliveryOutcome[]>,
  ): Promise<number> {
    const due = this.rows
      .filter((r) => r.status === 'PENDING' && r.dueAt <= at)
      .slice(0, limit)
      .map((r) => ({ ...r }));
    for (const outcome of await deliver(due)) {
      const row = this.row(outcome.id);
      row.status = outcome.status;
      row.attempts = outcome.attempts;
      if (outcome.status === 'PENDING') row.dueAt = outcome.retryAt;
      if (outcome.status !== 'SENT') row.error = outcome.error;
    }
    return due.length;
  }
  async count(): Promise<number> {
    return this.rows.filter((r) => r.status === 'PENDING').length;
  }
}

/** A provider that drops a second message with a key it already took. */
class Mailbox implements NotificationSender {
  received: Array<{ key: string; notification: Notification }> = [];
  failuresToCome = 0;
  async send(notification: Notification, idempotencyKey: string): Promise<void> {
    if (this.failuresToCome > 0) {
      this.failuresToCome--;
      throw new Error('provider unavailable');
    }
    if (!this.received.some((r) => r.key === idempotencyKey))
      this.received.push({ key: idempotencyKey, notification });
  }
}

function notification(): Notification {
  const orderId = crypto.randomUUID();
  return {
    id: crypto.randomUUID(),
    eventId: crypto.randomUUID(),
    orderId,
    customerId: 'alice',
    template: 'order-received',
    channel: 'email',
    message: `We received your order ${orderId.slice(0, 8)} for 1 item(s).`,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const settings: DeliverySettings = {
  batchSize: 10,
  sendTimeoutMs: 50,
  maxAttempts: 3,
  firstDelayMs: 1_000,
  maxDelayMs: 60_000,
};

describe('DeliverNotifications', () => {
  let now: Date;
  let pending: InMemoryPending;
  let mailbox: Mailbox;
  let seen: string[];
  let deliver: DeliverNotifications;

  const observer: DeliveryObserver = {
    sent: (n, attempts) => seen.push(`sent ${n.id} after ${attempts}`),
    retrying: (n, _e, attempts, retryAt) =>
      seen.push(`retry ${n.id} after ${attempts} at +${retryAt.getTime() - now.getTime()}`),
    failed: (n, e, attempts) => seen.push(`failed ${n.id} after ${attempts}: ${String(e)}`),
  };

  beforeEach(() => {
    now = new Date('2026-01-01T00:00:00.000Z');
    pending = new InMemoryPending();
    mailbox = new Mailbox();
    seen = [];
    deliver = new DeliverNotifications(pending, mailbox, { now: () => now }, observer, settings);
  });

  const later = (ms: number) => (now = new Date(now.getTime() + ms));

  it('sends each due notification with its id as the idempotency key, and marks it SENT', async () => {
    const a = notification();
    const b = notification();
    pending.add(a, now);
    pending.add(b, now);
    expect(await deliver.round()).toBe(2);
    expect(mailbox.received).toEqual([
      { key: a.id, notification: expect.objectContaining(a) },
      { key: b.id, notification: expect.objectContaining(b) },
    ]);
    expect(pending.rows.map((r) => [r.status, r.attempts])).toEqual([
      ['SENT', 1],
      ['SENT', 1],
    ]);
    expect(await deliver.round()).toBe(0);
    expect(mailbox.received).toHaveLength(2);
  });

  it('claims no more than a batch per round', async () => {
    for (let i = 0; i < 12; i++) pending.add(notification(), now);
    expect(await deliver.round()).toBe(10);
    expect(await deliver.round()).toBe(2);
  });

  it('tries a failed send again after a doubling wait, not before', async () => {
    const n = notification();
    pending.add(n, now);
    mailbox.failuresToCome = 2;
    await deliver.round();
    expect(pending.row(n.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(pending.row(n.id).error).toBe('provider unavailable');
    later(999);
    expect(await deliver.round()).toBe(0);
    later(1);
    await deliver.round(); // fails again: two seconds this time
    later(1_999);
    expect(await deliver.round()).toBe(0);
    later(1);
    await deliver.round();
    expect(pending.row(n.id)).toMatchObject({ status: 'SENT', attempts: 3 });
    expect(mailbox.received.map((r) => r.key)).toEqual([n.id]);
    expect(seen).toEqual([
      `retry ${n.id} after 1 at +1000`,
      `retry ${n.id} after 2 at +2000`,
      `sent ${n.id} after 3`,
    ]);
  });

  it('gives up to FAILED after the last attempt allowed, and reports it', async () => {
    const n = notification();
    pending.add(n, now);
    mailbox.failuresToCome = 10;
    for (let i = 0; i < 5; i++) {
      await deliver.round();
      later(60_000);
    }
    expect(pending.row(n.id)).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(seen.at(-1)).toBe(`failed ${n.id} after 3: Error: provider unavailable`);
    expect(mailbox.received).toEqual([]);
    expect(await pending.count()).toBe(0);
  });

  it('counts a send that hangs past its timeout as failed, and goes on with the batch', async () => {
    const hung = notification();
    const next = notification();
    pending.add(hung, now);
    pending.add(next, now);
    const send = mailbox.send.bind(mailbox);
    mailbox.send = (n, key) => (n.id === hung.id ? new Promise(() => undefined) : send(n, key));
    await deliver.round();
    expect(pending.row(hung.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(pending.row(hung.id).error).toBe('send timed out after 50 ms');
    expect(pending.row(next.id)).toMatchObject({ status: 'SENT' });
  });
});
