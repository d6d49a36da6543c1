import { SAGA_DEADLINE_METRICS } from '@shop/observability';
import { NS, OTHER_NS, firing, flat, sel, type AlertCase, type Series } from './alert-cases';

const STUCK = SAGA_DEADLINE_METRICS.stuck.name;

/** One order-service replica's count of orders stuck in `status`; every replica counts them all. */
const stuck = (
  status: string,
  values: string,
  replica = '10.0.0.21:8080',
  namespace = NS,
): Series => ({
  series: `${STUCK}${sel({ namespace, service: 'order-service', instance: replica, status })}`,
  values,
});

export function sagaCases(): AlertCase[] {
  return [
    {
      // Two replicas report the same two orders: two orders, not four.
      name: 'two orders stuck CANCELLING, seen by both replicas',
      alertname: 'SagaStuck',
      series: [
        stuck('CANCELLING', flat(2)),
        stuck('CANCELLING', flat(2), '10.0.0.22:8080'),
        stuck('PENDING', flat(0)),
      ],
      alerts: firing(['warning'], { namespace: NS, status: 'CANCELLING' }, 2),
    },
    {
      name: 'an order stuck for exactly 10 minutes',
      alertname: 'SagaStuck',
      series: [stuck('CONFIRMED', '0x14 1x16')],
      alerts: firing(['warning'], { namespace: NS, status: 'CONFIRMED' }, 1),
    },
    {
      // What the sweep mends at its next round never lasts this long.
      name: 'an order stuck for 9 minutes',
      alertname: 'SagaStuck',
      series: [stuck('CONFIRMED', '0x15 1x15')],
      alerts: [],
    },
    {
      name: 'orders stuck a minute at a time, each mended by the next sweep',
      alertname: 'SagaStuck',
      series: [stuck('PENDING', '0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0')],
      alerts: [],
    },
    {
      name: 'nothing stuck',
      alertname: 'SagaStuck',
      series: [stuck('PENDING', flat(0)), stuck('CANCELLING', flat(0))],
      alerts: [],
    },
    {
      name: 'stuck in one namespace only',
      alertname: 'SagaStuck',
      series: [
        stuck('CANCELLING', flat(0)),
        stuck('CANCELLING', flat(3), '10.1.0.21:8080', OTHER_NS),
      ],
      alerts: firing(['warning'], { namespace: OTHER_NS, status: 'CANCELLING' }, 3),
    },
  ];
}
