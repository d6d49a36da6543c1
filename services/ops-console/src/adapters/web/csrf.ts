import crypto from 'node:crypto';
import type { CookieSigner } from './cookie-signer';

export const CSRF_COOKIE = 'ops_csrf';
export const CSRF_FIELD = '_csrf';

/**
 * Signed double submit: the browser holds a random value in a SameSite=Strict, HttpOnly cookie,
 * and every form carries the console's MAC of it. Another site can make the browser send the
 * cookie, but can neither read it nor forge its MAC, so it cannot fill in the field. It works the
 * same before sign-in (the login form) and after, with nothing stored on the server.
 */
export function newCsrfSecret(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function csrfTokenFor(signer: CookieSigner, secret: string): string {
  return signer.mac('csrf', secret);
}

export function validCsrf(
  signer: CookieSigner,
  secret: string | undefined,
  token: unknown,
): boolean {
  return (
    typeof secret === 'string' &&
    secret.length > 0 &&
    typeof token === 'string' &&
    signer.verify('csrf', secret, token)
  );
}
