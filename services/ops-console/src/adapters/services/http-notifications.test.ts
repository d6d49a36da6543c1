import { notificationStep } from './http-notifications';

const listed = {
  eventId: 'e1',
  template: 'order-completed',
  channel: 'email',
  message: 'Your order 7d3c1e0a is complete: 10.00 EUR paid.',
  createdAt: '2026-12-01T12:00:00.000Z',
};

describe("a notification on an order's timeline", () => {
  it('says when the customer got it, and after how many attempts', () => {
    const step = notificationStep({
      ...listed,
      status: 'SENT',
      attempts: 2,
      sentAt: '2026-12-01T12:00:03.000Z',
      lastError: null,
    });
    expect(step).toEqual({
      at: new Date(listed.createdAt),
      kind: 'notification',
      where: 'notification-service',
      eventType: 'order-completed',
      eventId: 'e1',
      note: 'SENT at 2026-12-01T12:00:03.000Z after 2 attempts · email: Your order 7d3c1e0a is complete: 10.00 EUR paid.',
      failed: false,
    });
  });

  it('marks one given up as failed, with its last error before the message', () => {
    const step = notificationStep({
      ...listed,
      status: 'FAILED',
      attempts: 5,
      sentAt: null,
      lastError: `mailbox unavailable ${'x'.repeat(200)}`,
    });
    expect(step.failed).toBe(true);
    expect(step.note).toBe(
      `FAILED after 5 attempts (last error: mailbox unavailable ${'x'.repeat(60)}) · email: ${listed.message}`,
    );
  });

  it('tells a notification waiting for its first attempt from one being retried', () => {
    const pending = { ...listed, status: 'PENDING' as const, sentAt: null };
    expect(notificationStep({ ...pending, attempts: 0, lastError: null }).note).toMatch(
      /^PENDING · email: /,
    );
    const retrying = notificationStep({ ...pending, attempts: 1, lastError: 'timed out' });
    expect(retrying.note).toMatch(
      /^PENDING, retrying after 1 attempt \(last error: timed out\) · /,
    );
    expect(retrying.failed).toBe(false);
  });
});
