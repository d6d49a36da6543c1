import crypto from 'node:crypto';
import type { Envelope } from '@shop/contracts';
import { compose, NOTIFIED_EVENTS, type Notification } from '../domain/notification';
import type { Clock } from './clock';
import type { NotificationSender, NotificationUnitOfWork } from './ports';

/**
 * Records one notification per customer-facing fact (order and template), then sends it; a repeat
 * of the event, or of the fact under a new event id, sends nothing.
 */
export class NotifyCustomer {
  constructor(
    private readonly sender: NotificationSender,
    private readonly clock: Clock,
    /** A send that failed after the commit: the record stays, nothing retries it. */
    private readonly onSendFailed: (notification: Notification, error: unknown) => void,
  ) {}

  async execute(
    uow: NotificationUnitOfWork,
    event: Envelope<(typeof NOTIFIED_EVENTS)[number]>,
  ): Promise<void> {
    const notification = compose(event, crypto.randomUUID(), this.clock.now());
    if (!(await uow.notifications.insert(notification))) return;
    // Sent only once the record is committed: a rolled-back record is applied again (retry topic,
    // redelivery) and would send the customer a second message. The price is at most once: a
    // crash between the commit and the send loses that one message.
    uow.afterCommit(() => {
      this.sender
        .send(notification)
        .catch((error: unknown) => this.onSendFailed(notification, error));
    });
  }
}
