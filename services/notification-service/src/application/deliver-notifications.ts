import { afterFailedAttempt, type RetryPolicy } from '../domain/delivery';
import type { Clock } from './clock';
import type {
  DeliveryObserver,
  DeliveryOutcome,
  NotificationSender,
  PendingNotification,
  PendingNotifications,
} from './ports';

export interface DeliverySettings extends RetryPolicy {
  /** Notifications claimed per round. */
  readonly batchSize: number;
  /** A send still going after this counts as failed (it may have gone: the key covers that). */
  readonly sendTimeoutMs: number;
}

/**
 * Sends committed PENDING notifications, each with its id as the idempotency key, and records
 * what became of them: SENT, PENDING again after a backoff, or FAILED after the last attempt.
 * Delivery is at least once; the key makes the provider's side exactly once.
 */
export class DeliverNotifications {
  constructor(
    private readonly pending: PendingNotifications,
    private readonly sender: NotificationSender,
    private readonly clock: Clock,
    private readonly observer: DeliveryObserver,
    private readonly settings: DeliverySettings,
  ) {}

  /** Delivers one batch of the notifications due now; returns how many it claimed. */
  round(): Promise<number> {
    return this.pending.claimDue(this.settings.batchSize, this.clock.now(), async (due) => {
      const outcomes: DeliveryOutcome[] = [];
      for (const notification of due) outcomes.push(await this.deliver(notification));
      return outcomes;
    });
  }

  private async deliver(notification: PendingNotification): Promise<DeliveryOutcome> {
    const attempts = notification.attempts + 1;
    try {
      await this.sendInTime(notification);
      this.observer.sent(notification, attempts);
      return { id: notification.id, status: 'SENT', attempts, at: this.clock.now() };
    } catch (error) {
      const next = afterFailedAttempt(attempts, this.clock.now(), this.settings);
      const reason = describe(error);
      if (next.giveUp) {
        this.observer.failed(notification, error, attempts);
        return { id: notification.id, status: 'FAILED', attempts, error: reason };
      }
      this.observer.retrying(notification, error, attempts, next.retryAt);
      return {
        id: notification.id,
        status: 'PENDING',
        attempts,
        retryAt: next.retryAt,
        error: reason,
      };
    }
  }

  private async sendInTime(notification: PendingNotification): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`send timed out after ${this.settings.sendTimeoutMs} ms`)),
        this.settings.sendTimeoutMs,
      );
    });
    try {
      await Promise.race([this.sender.send(notification, notification.id), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Kept with the notification for operators; bounded, since a provider's error can be long. */
function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
