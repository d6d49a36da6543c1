import type { Logger } from '@shop/observability';
import type { Notification } from '../../domain/notification';
import type { NotificationSender } from '../../application/ports';

/** Sends by writing a log line: the stand-in for an e-mail provider. */
export class LoggingSender implements NotificationSender {
  constructor(private readonly logger: Logger) {}

  async send(n: Notification, idempotencyKey: string): Promise<void> {
    this.logger.info(
      {
        notificationId: n.id,
        idempotencyKey,
        orderId: n.orderId,
        customerId: n.customerId,
        template: n.template,
        channel: n.channel,
      },
      'notification sent',
    );
  }
}
