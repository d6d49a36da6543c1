import { NOTIFICATION_METRICS } from '@shop/observability';
import { NOTIFICATION_BACKLOG } from '../src/monitoring/guide-alert-rules';
import { NS, OTHER_NS, firing, flat, sel, type AlertCase, type Series } from './alert-cases';

const REPLICA = '10.0.0.41:8080';

const labelsOf = (instance: string, namespace: string) => ({
  namespace,
  service: 'notification-service',
  instance,
});

/** One replica's count of notifications it gave up for `template`. */
const failed = (
  values: string,
  template = 'order-completed',
  instance = REPLICA,
  namespace = NS,
) => ({
  series: `${NOTIFICATION_METRICS.failed.name}${sel({ ...labelsOf(instance, namespace), template })}`,
  values,
});

/** One replica's count of the PENDING notifications; every replica counts the shared table. */
const pending = (values: string, instance = REPLICA, namespace = NS): Series => ({
  series: `${NOTIFICATION_METRICS.pending.name}${sel(labelsOf(instance, namespace))}`,
  values,
});

export function notificationCases(): AlertCase[] {
  const ns = { namespace: NS };
  return [
    {
      name: 'a notification given up 5 minutes ago',
      alertname: 'NotificationsFailing',
      series: [failed('0x20 1x10'), failed(flat(0), 'order-received')],
      alerts: firing(['warning'], ns),
    },
    {
      name: 'two replicas each give one up, of different templates',
      alertname: 'NotificationsFailing',
      series: [failed('0x22 1x8'), failed('0x23 1x7', 'payment-failed', '10.0.0.42:8080')],
      alerts: firing(['warning'], ns),
    },
    {
      // Out of the 15-minute window: the timeline still shows it, the alert has had its say.
      name: 'a notification given up 16 minutes ago, none since',
      alertname: 'NotificationsFailing',
      series: [failed('0x9 1x21')],
      alerts: [],
    },
    {
      name: 'nothing given up',
      alertname: 'NotificationsFailing',
      series: [failed(flat(0)), failed(flat(0), 'order-received')],
      alerts: [],
    },
    {
      // The counter starts again at 0 in the new process: no notification was given up.
      name: 'a replica restarts after giving some up long ago',
      alertname: 'NotificationsFailing',
      series: [failed('3x20 0x10')],
      alerts: [],
    },
    {
      name: 'notifications given up in one namespace only',
      alertname: 'NotificationsFailing',
      series: [failed(flat(0)), failed('0x20 1x10', 'order-completed', '10.1.0.41:8080', OTHER_NS)],
      alerts: firing(['warning'], { namespace: OTHER_NS }),
    },
    {
      // Two replicas count the same table: the backlog is 101, not 202.
      name: 'a backlog just above its threshold for 10 minutes, seen by both replicas',
      alertname: 'NotificationsBacklogged',
      series: [
        pending(`0x14 ${NOTIFICATION_BACKLOG + 1}x16`),
        pending(`0x14 ${NOTIFICATION_BACKLOG + 1}x16`, '10.0.0.42:8080'),
      ],
      alerts: firing(['warning'], ns, NOTIFICATION_BACKLOG + 1),
    },
    {
      name: 'a backlog at its threshold',
      alertname: 'NotificationsBacklogged',
      series: [pending(flat(NOTIFICATION_BACKLOG))],
      alerts: [],
    },
    {
      name: 'a backlog above its threshold for 9 minutes',
      alertname: 'NotificationsBacklogged',
      series: [pending(`0x15 ${NOTIFICATION_BACKLOG * 5}x15`)],
      alerts: [],
    },
    {
      // A burst the loop sends within a few rounds: high one minute, gone the next.
      name: 'bursts that drain',
      alertname: 'NotificationsBacklogged',
      series: [pending(`0 ${NOTIFICATION_BACKLOG * 3} `.repeat(15) + '0')],
      alerts: [],
    },
    {
      name: 'a backlog in one namespace only',
      alertname: 'NotificationsBacklogged',
      series: [pending(flat(0)), pending(flat(250), '10.1.0.41:8080', OTHER_NS)],
      alerts: firing(['warning'], { namespace: OTHER_NS }, 250),
    },
  ];
}
