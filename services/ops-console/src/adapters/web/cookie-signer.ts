import crypto from 'node:crypto';

/**
 * HMAC-SHA256 under a key derived from the admin token: the console keeps no session store, so
 * any replica can check what another issued, and a new admin token signs everybody out.
 */
export class CookieSigner {
  private readonly key: Buffer;

  constructor(adminToken: string) {
    this.key = crypto.createHmac('sha256', adminToken).update('ops-console cookies v1').digest();
  }

  mac(purpose: string, data: string): string {
    return crypto
      .createHmac('sha256', this.key)
      .update(`${purpose}\u0000${data}`)
      .digest('base64url');
  }

  verify(purpose: string, data: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(purpose, data));
    const given = Buffer.from(mac);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }
}

export function sameSecret(given: string, expected: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and the length of the token is not leaked.
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}
