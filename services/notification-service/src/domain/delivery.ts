/**
 * Where a notification is on its way to the customer. It is recorded PENDING with the event that
 * caused it, becomes SENT once the provider took it, and FAILED when every attempt allowed failed.
 */
export type DeliveryStatus = 'PENDING' | 'SENT' | 'FAILED';

/** How far a notification's delivery got: what an operator checks when a customer heard nothing. */
export interface DeliveryState {
  readonly status: DeliveryStatus;
  /** Attempts made so far, the one that succeeded included. */
  readonly attempts: number;
  /** When the provider took it; null until SENT. */
  readonly sentAt: string | null;
  /** Why the latest attempt failed; null once SENT, and before any attempt failed. */
  readonly lastError: string | null;
}

export interface RetryPolicy {
  /** Attempts in all, the first included; the last failed one makes the notification FAILED. */
  readonly maxAttempts: number;
  /** The wait after the first failed attempt; it doubles after each failed attempt since. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export type AfterFailure =
  { readonly giveUp: false; readonly retryAt: Date } | { readonly giveUp: true };

/** What follows the `attempts`-th failed attempt, made at `at`. */
export function afterFailedAttempt(attempts: number, at: Date, policy: RetryPolicy): AfterFailure {
  if (attempts >= policy.maxAttempts) return { giveUp: true };
  const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempts - 1));
  return { giveUp: false, retryAt: new Date(at.getTime() + delay) };
}
