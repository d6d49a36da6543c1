import Router from '@koa/router';
import { z } from 'zod';
import type { NotificationRepository } from '../../application/ports';

const NotificationsQuery = z
  .strictObject({
    orderId: z.uuid().optional(),
    customerId: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine(
    (q) => q.orderId !== undefined || q.customerId !== undefined,
    'give orderId or customerId',
  );

export function notificationRouter(notifications: NotificationRepository): Router {
  const router = new Router();
  router.get('/notifications', async (ctx) => {
    const { limit, ...filter } = NotificationsQuery.parse(ctx.query);
    ctx.body = { items: await notifications.find(filter, limit) };
  });
  return router;
}
