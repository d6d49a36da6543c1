import crypto from 'node:crypto';
import Koa, { type Context, type Next } from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Registry } from 'prom-client';
import { ZodError } from 'zod';
import type { Logger } from '@shop/observability';
import { accessLog } from './access-log';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemType } from './problem';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean>;
}

export interface HttpAppOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  /** What the pod must reach to take traffic: failing one takes it out of its Service. */
  readonly readiness: readonly ReadinessCheck[];
  /**
   * Reported beside the readiness checks but never failing them: a dependency the service works
   * without for a while (Kafka, whose writes the outbox buffers). Failing readiness on it would
   * drop every pod from its Service during an outage and refuse the orders the outbox would keep.
   */
  readonly reported?: readonly ReadinessCheck[];
  readonly router: Router;
  /** Maps the service's own typed errors (not found, conflict, ...) to problems. */
  readonly mapError?: (error: unknown) => HttpProblem | undefined;
  readonly bodyLimit?: string;
}

/**
 * A Koa app with the behaviour every service shares: request ids, problem+json for every
 * failure (never a stack trace), a bounded JSON body, health and metrics endpoints, and 404s.
 */
export function createHttpApp(options: HttpAppOptions): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(requestId);
  app.use(accessLog(options.logger));
  app.use(problems(options));
  app.use(requireJsonBody);
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: options.bodyLimit ?? '64kb',
      encoding: 'utf-8',
      jsonStrict: true,
    }),
  );

  const system = new Router();
  system.get('/health/live', (ctx) => {
    ctx.body = { status: 'up' };
  });
  system.get('/health/ready', async (ctx) => {
    const [results, reported] = await Promise.all([
      runChecks(options.readiness),
      runChecks(options.reported ?? []),
    ]);
    const failing = results.filter(([, ok]) => !ok).map(([name]) => name);
    const details = { checks: Object.fromEntries(results), reported: Object.fromEntries(reported) };
    if (failing.length > 0) {
      throw new HttpProblem(
        503,
        'Service Unavailable',
        `not ready: ${failing.join(', ')}`,
        details,
      );
    }
    ctx.body = { status: 'ready', ...details };
  });
  system.get('/metrics', async (ctx) => {
    ctx.type = options.registry.contentType;
    ctx.body = await options.registry.metrics();
  });

  app.use(system.routes());
  app.use(options.router.routes());
  app.use(options.router.allowedMethods({ throw: true }));
  return app;
}

function runChecks(checks: readonly ReadinessCheck[]) {
  return Promise.all(
    checks.map(async (c) => [c.name, await c.check().catch(() => false)] as const),
  );
}

async function requestId(ctx: Context, next: Next): Promise<void> {
  const given = ctx.get('x-request-id');
  ctx.state.requestId = /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
  ctx.set('x-request-id', ctx.state.requestId as string);
  await next();
}

/** A body with a declared type other than JSON is refused before anyone parses it. */
async function requireJsonBody(ctx: Context, next: Next): Promise<void> {
  if (['POST', 'PUT', 'PATCH'].includes(ctx.method) && ctx.request.length && !ctx.is('json')) {
    throw new HttpProblem(415, 'Unsupported Media Type', 'send the body as application/json');
  }
  await next();
}

function problems(options: HttpAppOptions) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      // Nothing answered: no route (the router's allowedMethods has had its say by now).
      if (ctx.status === 404 && ctx.body == null) {
        throw new HttpProblem(404, 'Not Found', `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      const problem = toProblem(error, options.mapError);
      if (problem.status >= 500 && problem.status !== 503) {
        options.logger.error(
          { err: error, requestId: ctx.state.requestId, path: ctx.path },
          'request failed',
        );
      }
      ctx.status = problem.status;
      ctx.type = PROBLEM_CONTENT_TYPE;
      ctx.body = {
        type: problemType(problem.title),
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        instance: ctx.path,
        requestId: ctx.state.requestId,
        ...problem.extensions,
      };
    }
  };
}

function toProblem(error: unknown, mapError: HttpAppOptions['mapError']): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const mapped = mapError?.(error);
  if (mapped) return mapped;
  if (error instanceof ZodError) {
    return new HttpProblem(422, 'Unprocessable Content', 'the request does not match the schema', {
      errors: error.issues
        .slice(0, 20)
        .map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  // Errors from Koa, the router and the body parser carry a status and are safe to show when 4xx.
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const detail = status === 400 ? unreadableBody(error) : (error as Error).message;
    return new HttpProblem(status, titleOf(status), detail);
  }
  return new HttpProblem(
    500,
    'Internal Server Error',
    'something went wrong on our side; it has been logged',
  );
}

/** The body parser says only "400"; the client deserves to know which rule its body broke. */
function unreadableBody(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(body));
  } catch {
    return 'the body is not valid JSON';
  }
  return typeof parsed === 'object' && parsed !== null
    ? 'the body contains a forbidden key (__proto__ or constructor.prototype)'
    : 'the body must be a JSON object, not a bare value';
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
  };
  return titles[status] ?? 'Client Error';
}
