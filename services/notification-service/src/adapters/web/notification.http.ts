import Router from '@koa/router';
import type { NotificationHistory } from '../../application/ports';
import { ListNotificationsQuery } from './notification.request';

export function notificationRouter(notifications: NotificationHistory): Router {
  const router = new Router();
  router.get('/notifications', async (ctx) => {
    const { limit, ...filter } = ListNotificationsQuery.parse(ctx.query);
    ctx.body = { items: await notifications.find(filter, limit) };
  });
  return router;
}
