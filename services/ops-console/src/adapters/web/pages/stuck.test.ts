import { stuckPage } from './stuck';

const page = { operator: 'ops', csrfToken: 't' };
const NOW = new Date('2026-12-01T12:00:00.000Z');

describe('the stuck sagas page', () => {
  it('links each stuck order to its timeline and says how far past its deadline it is', () => {
    const markup = stuckPage(
      page,
      {
        deadlinesMs: { PENDING: 300_000, CONFIRMED: 900_000, CANCELLING: 300_000 },
        orders: [
          {
            id: '7d3c1e0a-0000-4000-8000-000000000001',
            status: 'CANCELLING',
            statusSince: '2026-12-01T11:45:00.000Z',
            history: [{ to: 'CANCELLING', cause: '<script>alert(1)</script>' }],
          },
        ],
      },
      NOW,
    ).markup;
    expect(markup).toContain(
      '<a href="/orders/7d3c1e0a-0000-4000-8000-000000000001">7d3c1e0a-0000-4000-8000-000000000001</a>',
    );
    // 15 minutes in CANCELLING, whose deadline is 5.
    expect(markup).toMatch(
      /<td>CANCELLING<\/td>\s*<td class="mono">2026-12-01T11:45:00.000Z<\/td>\s*<td>10.0 min<\/td>/,
    );
    expect(markup).not.toContain('<script>alert(1)</script>');
    expect(markup).toContain('&lt;script&gt;');
    expect(markup).not.toContain('No order is past its deadline');
  });

  it('says when order-service cannot be asked', () => {
    expect(stuckPage(page, { error: 'order-service answered 503' }, NOW).markup).toContain(
      'Could not ask order-service: order-service answered 503',
    );
  });
});
