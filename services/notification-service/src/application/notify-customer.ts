import crypto from 'node:crypto';
import type { Envelope } from '@shop/contracts';
import { compose, NOTIFIED_EVENTS } from '../domain/notification';
import type { NotificationRepository, NotificationSender } from './ports';

/** Records one notification per customer event, then sends it; a repeat of the event sends nothing. */
export class NotifyCustomer {
  constructor(private readonly sender: NotificationSender) {}

  async execute(
    notifications: NotificationRepository,
    event: Envelope<(typeof NOTIFIED_EVENTS)[number]>,
  ): Promise<void> {
    const notification = compose(event, crypto.randomUUID(), new Date());
    if (await notifications.insert(notification)) await this.sender.send(notification);
  }
}
