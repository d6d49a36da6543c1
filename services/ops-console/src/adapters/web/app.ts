import Koa, { type Context, type Next } from 'koa';
import Router from '@koa/router';
import type { Registry } from 'prom-client';
import type { Logger } from '@shop/observability';
import { HttpProblem, accessLog } from '@shop/service-kit';
import { csrfProtection, requireOperator, type CookieOptions } from './auth';
import type { CookieSigner } from './cookie-signer';
import { html } from './html';
import { layout } from './pages/layout';
import { securityHeaders } from './security-headers';

export interface ConsoleAppOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly signer: CookieSigner;
  readonly cookies: CookieOptions;
  /** What must answer for the console to take traffic: its own database. */
  readonly ready: () => Promise<boolean>;
  readonly router: Router;
}

/**
 * The console's HTTP app: security headers on every answer, probes and metrics open, everything
 * else behind the operator's session, and every POST behind its CSRF token.
 */
export function createConsoleApp(options: ConsoleAppOptions): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(securityHeaders);
  app.use(accessLog(options.logger));
  app.use(errorPages(options.logger));

  const system = new Router();
  system.get('/health/live', (ctx) => {
    ctx.body = { status: 'up' };
  });
  system.get('/health/ready', async (ctx) => {
    const ok = await options.ready().catch(() => false);
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ready' : 'not ready', checks: { database: ok } };
  });
  system.get('/metrics', async (ctx) => {
    ctx.type = options.registry.contentType;
    ctx.body = await options.registry.metrics();
  });
  app.use(system.routes());

  app.use(csrfProtection(options.signer, options.cookies));
  app.use(requireOperator(options.signer));
  app.use(options.router.routes());
  app.use(options.router.allowedMethods({ throw: true }));
  return app;
}

/** Failures as a page (the console is read in a browser), never with a stack trace. */
function errorPages(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null)
        throw new HttpProblem(404, 'Not Found', `no page at ${ctx.path}`);
    } catch (error) {
      const status = statusOf(error);
      if (status >= 500) logger.error({ err: error, path: ctx.path }, 'request failed');
      const detail =
        status >= 500
          ? 'something went wrong on our side; it has been logged'
          : (error as Error).message;
      ctx.status = status;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = layout(
        {
          operator: ctx.state.operator as string | undefined,
          csrfToken: (ctx.state.csrfToken as string) ?? '',
        },
        `${status} ${error instanceof HttpProblem ? error.title : 'Error'}`,
        html`<p id="problem">${detail}</p>`,
      ).markup;
    }
  };
}

function statusOf(error: unknown): number {
  if (error instanceof HttpProblem) return error.status;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}
