import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import { HttpProblem } from '@shop/service-kit';

/** Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>`; compared in constant time. */
export function requireAdminToken(token: string) {
  const expected = crypto.createHash('sha256').update(token).digest();
  return async (ctx: Context, next: Next) => {
    const given = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
    const actual = crypto.createHash('sha256').update(given).digest();
    if (!crypto.timingSafeEqual(expected, actual)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new HttpProblem(401, 'Unauthorized', 'this endpoint needs the admin bearer token');
    }
    await next();
  };
}
