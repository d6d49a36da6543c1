import { Registry } from 'prom-client';
import { createLogger } from '@shop/observability';
import { TEMPLATES } from '../../domain/notification';
import { prometheusDeliveryObserver } from './prometheus-delivery-observer';

describe('the delivery metrics', () => {
  it('report 0 notifications given up for every template before the first one', async () => {
    const registry = new Registry();
    prometheusDeliveryObserver(registry, createLogger('notification-service', 'fatal'), {
      claimDue: async () => 0,
      count: async () => 0,
    });
    const failed = (await registry.getSingleMetric('notifications_failed_total')!.get()).values;
    expect(failed.map((v) => [v.labels.template, v.value]).sort()).toEqual(
      [...TEMPLATES].sort().map((t) => [t, 0]),
    );
  });
});
