import { gaugeOf } from './gauge-reading';

describe('a gauge read from a scrape', () => {
  const scrape = [
    '# HELP outbox_backlog_events Outbox rows not yet published',
    '# TYPE outbox_backlog_events gauge',
    'outbox_backlog_events{service="payment-service"} 0',
    'outbox_backlog_events{service="order-service",namespace="shop"} 12',
    'outbox_backlog_events_other{service="order-service"} 99',
    'outbox_oldest_unpublished_age_seconds{service="order-service"} 4.25',
  ].join('\n');

  it("takes the named gauge's sample of the named service", () => {
    expect(gaugeOf(scrape, 'outbox_backlog_events', 'order-service')).toBe(12);
    expect(gaugeOf(scrape, 'outbox_backlog_events', 'payment-service')).toBe(0);
    expect(gaugeOf(scrape, 'outbox_oldest_unpublished_age_seconds', 'order-service')).toBe(4.25);
  });

  it('finds nothing for another service or a gauge not exposed', () => {
    expect(gaugeOf(scrape, 'outbox_backlog_events', 'inventory-service')).toBeUndefined();
    expect(gaugeOf(scrape, 'outbox_backlog', 'order-service')).toBeUndefined();
  });
});
