import { timelinePage } from './timeline';

const page = { operator: 'ops', csrfToken: 't' };

describe('the order timeline page', () => {
  it('marks a notification given up as failed and renders its delivery state inert', () => {
    const markup = timelinePage(page, {
      orderId: '7d3c1e0a-0000-4000-8000-000000000001',
      since: new Date('2026-12-01T11:00:00.000Z'),
      cut: [],
      unavailable: [],
      orderUnavailable: 'not asked',
      steps: [
        {
          at: new Date('2026-12-01T12:00:00.000Z'),
          kind: 'notification',
          where: 'notification-service',
          eventType: 'order-cancelled',
          note: 'FAILED after 5 attempts (last error: <img src=x onerror=alert(1)>) · email: bye',
          failed: true,
        },
        {
          at: new Date('2026-12-01T12:00:01.000Z'),
          kind: 'notification',
          where: 'notification-service',
          eventType: 'payment-refunded',
          note: 'SENT at 2026-12-01T12:00:02.000Z after 1 attempt · email: refunded',
        },
      ],
    }).markup;
    const rows = [...markup.matchAll(/<tr class="([^"]+)">[\s\S]*?<\/tr>/g)].map((m) => [
      m[1],
      m[0],
    ]);
    expect(rows.map(([cls]) => cls)).toEqual(['step failed', 'step']);
    expect(rows[0]![1]).toContain(
      'FAILED after 5 attempts (last error: &lt;img src=x onerror=alert(1)&gt;) · email: bye',
    );
    expect(markup).not.toContain('<img');
    expect(rows[1]![1]).toContain('SENT at 2026-12-01T12:00:02.000Z after 1 attempt');
  });
});
