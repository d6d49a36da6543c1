import type { Notification } from '../domain/notification';

export interface NotificationRepository {
  /**
   * False when the event already has its notification, or when the fact it tells does: one
   * notification per order and template, whatever event ids announce it.
   */
  insert(notification: Notification): Promise<boolean>;
  find(filter: { orderId?: string; customerId?: string }, limit: number): Promise<Notification[]>;
}

/** Where a notification goes out: e-mail, SMS, push; here, a log line. */
export interface NotificationSender {
  send(notification: Notification): Promise<void>;
}

/** One consumed event's work: its writes commit or roll back together. */
export interface NotificationUnitOfWork {
  readonly notifications: NotificationRepository;
  /** Runs once the writes above have committed; never if they roll back. */
  afterCommit(callback: () => void): void;
}
