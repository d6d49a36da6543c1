import { z } from 'zod';
import type { CustomerNotifications, PartialSteps } from '../../application/ports';

const NotificationsSchema = z.object({
  items: z.array(
    z.object({
      eventId: z.string(),
      template: z.string(),
      channel: z.string(),
      message: z.string(),
      createdAt: z.string(),
    }),
  ),
});

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
    return {
      steps: items.map((n) => ({
        at: new Date(n.createdAt),
        kind: 'notification' as const,
        where: 'notification-service',
        eventType: n.template,
        eventId: n.eventId,
        note: `${n.channel}: ${n.message}`,
      })),
      unavailable: [],
    };
  }
}
