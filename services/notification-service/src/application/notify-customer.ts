import crypto from 'node:crypto';
import type { Envelope } from '@shop/contracts';
import { compose, NOTIFIED_EVENTS } from '../domain/notification';
import type { Clock } from './clock';
import type { NotificationUnitOfWork } from './ports';

/**
 * Records one PENDING notification per customer-facing fact (order and template) in the
 * consumer's transaction; a repeat of the event, or of the fact under a new event id, records
 * nothing. Delivery is DeliverNotifications' work, from the committed record: a crash after the
 * commit leaves the notification PENDING, and the next delivery round (any replica's) sends it.
 */
export class NotifyCustomer {
  constructor(
    private readonly clock: Clock,
    /** Wakes the delivery so a committed notification need not wait for its next round. */
    private readonly deliverSoon: () => void,
  ) {}

  async execute(
    uow: NotificationUnitOfWork,
    event: Envelope<(typeof NOTIFIED_EVENTS)[number]>,
  ): Promise<void> {
    const notification = compose(event, crypto.randomUUID(), this.clock.now());
    if (!(await uow.notifications.insert(notification))) return;
    // Before the commit the delivery could not see the record yet.
    uow.afterCommit(this.deliverSoon);
  }
}
