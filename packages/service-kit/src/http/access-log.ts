import type { Context, Next } from 'koa';
import type { Logger } from '@shop/observability';

/**
 * One info line per request, with the request id where the app gives one; probes and scrapes are
 * left out, or they would drown the requests a person looks for.
 */
export function accessLog(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      if (!ctx.path.startsWith('/health') && ctx.path !== '/metrics') {
        logger.info(
          {
            requestId: ctx.state.requestId,
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'http request',
        );
      }
    }
  };
}
