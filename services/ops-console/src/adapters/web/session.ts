import type { CookieSigner } from './cookie-signer';

export const SESSION_COOKIE = 'ops_session';

export interface Session {
  /** The name the operator signed in with: who every replay is recorded as. */
  readonly operator: string;
  readonly expiresAt: number;
}

/** `<base64url JSON>.<mac>`: readable by the console only through `readSession`. */
export function writeSession(signer: CookieSigner, session: Session): string {
  const data = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `${data}.${signer.mac('session', data)}`;
}

export function readSession(
  signer: CookieSigner,
  cookie: string | undefined,
  now: number,
): Session | undefined {
  const [data, mac, extra] = (cookie ?? '').split('.');
  if (!data || !mac || extra !== undefined || !signer.verify('session', data, mac))
    return undefined;
  try {
    const s = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as Partial<Session>;
    if (typeof s.operator !== 'string' || typeof s.expiresAt !== 'number') return undefined;
    return s.expiresAt > now ? { operator: s.operator, expiresAt: s.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}
