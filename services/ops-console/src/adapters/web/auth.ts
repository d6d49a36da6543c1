import type { Context, Next } from 'koa';
import { HttpProblem } from '@shop/service-kit';
import type { CookieSigner } from './cookie-signer';
import { CSRF_COOKIE, CSRF_FIELD, csrfTokenFor, newCsrfSecret, validCsrf } from './csrf';
import { readForm } from './form-body';
import { SESSION_COOKIE, readSession } from './session';

export interface CookieOptions {
  /** Secure cookies: on wherever the console is served over TLS (everywhere but a laptop). */
  readonly secure: boolean;
}

/** Reachable without signing in: the probes, the metrics, the sign-in form and its stylesheet. */
const PUBLIC_PATHS = new Set([
  '/favicon.ico',
  '/login',
  '/health/live',
  '/health/ready',
  '/metrics',
  '/static/console.css',
]);

/**
 * Gives every browser its CSRF secret, reads the form of every POST and refuses one whose token
 * does not match (403) before any handler runs.
 */
export function csrfProtection(signer: CookieSigner, cookies: CookieOptions) {
  return async (ctx: Context, next: Next) => {
    let secret = ctx.cookies.get(CSRF_COOKIE);
    if (ctx.method === 'POST') {
      const form = await readForm(ctx);
      if (!validCsrf(signer, secret, form.get(CSRF_FIELD))) {
        throw new HttpProblem(
          403,
          'Forbidden',
          'the form is missing its CSRF token, or it is stale: reload the page',
        );
      }
      ctx.state.form = form;
    }
    if (!secret) {
      secret = newCsrfSecret();
      ctx.cookies.set(CSRF_COOKIE, secret, {
        httpOnly: true,
        sameSite: 'strict',
        secure: cookies.secure,
        overwrite: true,
      });
    }
    ctx.state.csrfToken = csrfTokenFor(signer, secret);
    await next();
  };
}

/**
 * Every other path needs a signed-in operator: a page asked for without one leads to the sign-in
 * form, anything else is refused with 401.
 */
export function requireOperator(signer: CookieSigner) {
  return async (ctx: Context, next: Next) => {
    const session = readSession(signer, ctx.cookies.get(SESSION_COOKIE), Date.now());
    ctx.state.operator = session?.operator;
    if (session || PUBLIC_PATHS.has(ctx.path)) return next();
    if (ctx.method === 'GET' || ctx.method === 'HEAD') {
      ctx.status = 303;
      ctx.redirect(`/login?next=${encodeURIComponent(ctx.originalUrl)}`);
      return;
    }
    throw new HttpProblem(401, 'Unauthorized', 'sign in first');
  };
}

/** Only a path on this console: a `next` that leads elsewhere would make the form an open redirect. */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/dead-letters';
}
