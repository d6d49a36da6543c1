import { z } from 'zod';
import type { CustomerNotifications, PartialSteps } from '../../application/ports';
import type { TimelineStep } from '../../domain/timeline';

const NotificationSchema = z.object({
  eventId: z.string(),
  template: z.string(),
  channel: z.string(),
  message: z.string(),
  createdAt: z.string(),
  status: z.enum(['PENDING', 'SENT', 'FAILED']),
  attempts: z.number().int().min(0),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
const NotificationsSchema = z.object({ items: z.array(NotificationSchema) });

type ListedNotification = z.infer<typeof NotificationSchema>;

/** notification-service's own API: `GET /notifications?orderId=`, what the customer was told. */
export class HttpNotifications implements CustomerNotifications {
  constructor(
    private readonly baseUrl: string | undefined,
    private readonly timeoutMs = 3_000,
  ) {}

  async stepsOf(orderId: string): Promise<PartialSteps> {
    if (!this.baseUrl)
      return { steps: [], unavailable: ['notifications: NOTIFICATION_SERVICE_URL is not set'] };
    const response = await fetch(
      `${this.baseUrl}/notifications?orderId=${encodeURIComponent(orderId)}&limit=100`,
      { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } },
    );
    // 400: not an order id notification-service could know (its order ids are UUIDs).
    if (response.status === 400) return { steps: [], unavailable: [] };
    if (!response.ok) throw new Error(`notification-service answered ${response.status}`);
    const { items } = NotificationsSchema.parse(await response.json());
    return { steps: items.map(notificationStep), unavailable: [] };
  }
}

/**
 * The delivery state leads the note, so the shortened note still says whether the customer got
 * it; the provider's error is cut short for the message to fit beside it.
 */
export function notificationStep(n: ListedNotification): TimelineStep {
  return {
    at: new Date(n.createdAt),
    kind: 'notification',
    where: 'notification-service',
    eventType: n.template,
    eventId: n.eventId,
    note: `${deliveryOf(n)} · ${n.channel}: ${n.message}`,
    failed: n.status === 'FAILED',
  };
}

function deliveryOf(n: ListedNotification): string {
  const attempts = `${n.attempts} attempt${n.attempts === 1 ? '' : 's'}`;
  const lastError = n.lastError === null ? '' : ` (last error: ${n.lastError.slice(0, 80)})`;
  switch (n.status) {
    case 'SENT':
      return `SENT at ${n.sentAt ?? '?'} after ${attempts}`;
    case 'FAILED':
      return `FAILED after ${attempts}${lastError}`;
    default:
      return n.attempts === 0 ? 'PENDING' : `PENDING, retrying after ${attempts}${lastError}`;
  }
}
