import type { Registry } from 'prom-client';
import { NOTIFICATION_METRICS, counterOf, scrapedGauge, type Logger } from '@shop/observability';
import type {
  DeliveryObserver,
  PendingNotification,
  PendingNotifications,
} from '../../application/ports';
import { TEMPLATES } from '../../domain/notification';

/** Deliveries counted by template; a retry is a warning, a notification given up an error. */
export function prometheusDeliveryObserver(
  registry: Registry,
  logger: Logger,
  pending: PendingNotifications,
): DeliveryObserver {
  const sent = counterOf<'template'>(registry, NOTIFICATION_METRICS.sent);
  const sendErrors = counterOf<'template'>(registry, NOTIFICATION_METRICS.sendErrors);
  const failed = counterOf<'template'>(registry, NOTIFICATION_METRICS.failed);
  // At 0 from the start: increase() sees nothing in a series born at 1, so a replica's first
  // notification given up would never reach NotificationsFailing.
  for (const template of TEMPLATES) failed.inc({ template }, 0);
  scrapedGauge(registry, NOTIFICATION_METRICS.pending, () => pending.count());
  const about = (n: PendingNotification) => ({
    notificationId: n.id,
    orderId: n.orderId,
    template: n.template,
  });
  return {
    sent: (n) => sent.inc({ template: n.template }),
    retrying: (n, error, attempts, retryAt) => {
      sendErrors.inc({ template: n.template });
      logger.warn(
        { err: error, ...about(n), attempts, retryAt: retryAt.toISOString() },
        'notification send failed; will retry',
      );
    },
    failed: (n, error, attempts) => {
      sendErrors.inc({ template: n.template });
      failed.inc({ template: n.template });
      logger.error({ err: error, ...about(n), attempts }, 'notification not sent');
    },
  };
}
