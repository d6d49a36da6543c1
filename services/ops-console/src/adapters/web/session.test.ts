import { CookieSigner } from './cookie-signer';
import { csrfTokenFor, newCsrfSecret, validCsrf } from './csrf';
import { readSession, writeSession } from './session';

const signer = new CookieSigner('an-admin-token-of-some-length');
const NOW = 1_750_000_000_000;

describe('session cookie', () => {
  it('reads back what it wrote until it expires', () => {
    const cookie = writeSession(signer, { operator: 'ada', expiresAt: NOW + 1000 });
    expect(readSession(signer, cookie, NOW)).toEqual({ operator: 'ada', expiresAt: NOW + 1000 });
    expect(readSession(signer, cookie, NOW + 1000)).toBeUndefined();
  });

  it('refuses a cookie changed by its holder, or signed under another admin token', () => {
    const cookie = writeSession(signer, { operator: 'ada', expiresAt: NOW + 1000 });
    const [, mac] = cookie.split('.');
    const forged = Buffer.from(JSON.stringify({ operator: 'root', expiresAt: NOW + 1e9 })).toString(
      'base64url',
    );
    expect(readSession(signer, `${forged}.${mac}`, NOW)).toBeUndefined();
    expect(
      readSession(new CookieSigner('another-admin-token-entirely'), cookie, NOW),
    ).toBeUndefined();
    expect(readSession(signer, `${cookie}.x`, NOW)).toBeUndefined();
    expect(readSession(signer, undefined, NOW)).toBeUndefined();
  });
});

describe('CSRF token', () => {
  it('matches only the secret of the browser it was given to', () => {
    const secret = newCsrfSecret();
    const token = csrfTokenFor(signer, secret);
    expect(validCsrf(signer, secret, token)).toBe(true);
    expect(validCsrf(signer, newCsrfSecret(), token)).toBe(false);
    expect(validCsrf(signer, secret, undefined)).toBe(false);
    expect(validCsrf(signer, undefined, token)).toBe(false);
    expect(validCsrf(signer, '', csrfTokenFor(signer, ''))).toBe(false);
    expect(validCsrf(new CookieSigner('another-admin-token-entirely'), secret, token)).toBe(false);
  });
});
