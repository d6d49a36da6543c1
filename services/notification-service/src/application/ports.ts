import type { DeliveryState } from '../domain/delivery';
import type { Notification } from '../domain/notification';

export interface NotificationRepository {
  /**
   * Records the notification PENDING, to be delivered once committed. False when the event
   * already has its notification, or when the fact it tells does: one notification per order and
   * template, whatever event ids announce it.
   */
  insert(notification: Notification): Promise<boolean>;
}

/** A notification as recorded, with how far its delivery got. */
export type RecordedNotification = Notification & DeliveryState;

/** The notifications recorded for an order or a customer, oldest first. */
export interface NotificationHistory {
  find(
    filter: { orderId?: string; customerId?: string },
    limit: number,
  ): Promise<RecordedNotification[]>;
}

/** Where a notification goes out: e-mail, SMS, push; here, a log line. */
export interface NotificationSender {
  /**
   * A provider that already took a message with this key drops the repeat: a send whose SENT mark
   * was lost (a crash, a failed commit) is sent again with the same key.
   */
  send(notification: Notification, idempotencyKey: string): Promise<void>;
}

/** One consumed event's work: its writes commit or roll back together. */
export interface NotificationUnitOfWork {
  readonly notifications: NotificationRepository;
  /** Runs once the writes above have committed; never if they roll back. */
  afterCommit(callback: () => void): void;
}

/** A recorded notification not yet delivered, with the attempts that failed so far. */
export interface PendingNotification extends Notification {
  readonly attempts: number;
}

/** What became of one claimed notification; `attempts` counts this one. */
export type DeliveryOutcome =
  | { readonly id: string; readonly status: 'SENT'; readonly attempts: number; readonly at: Date }
  | {
      readonly id: string;
      readonly status: 'PENDING';
      readonly attempts: number;
      readonly retryAt: Date;
      readonly error: string;
    }
  | {
      readonly id: string;
      readonly status: 'FAILED';
      readonly attempts: number;
      readonly error: string;
    };

/** The notifications waiting to be delivered, shared by every replica. */
export interface PendingNotifications {
  /**
   * Claims up to `limit` notifications due at `at` for this caller alone (other replicas pass
   * them by until the claim ends), hands them to `deliver`, and records the outcomes it returns
   * within the claim. A crash before that leaves them PENDING and due, for the next claim.
   */
  claimDue(
    limit: number,
    at: Date,
    deliver: (due: readonly PendingNotification[]) => Promise<DeliveryOutcome[]>,
  ): Promise<number>;
  count(): Promise<number>;
}

/** Tells operators how deliveries go (metrics and log lines). */
export interface DeliveryObserver {
  sent(notification: PendingNotification, attempts: number): void;
  retrying(
    notification: PendingNotification,
    error: unknown,
    attempts: number,
    retryAt: Date,
  ): void;
  failed(notification: PendingNotification, error: unknown, attempts: number): void;
}
