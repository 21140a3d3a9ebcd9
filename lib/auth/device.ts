import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../env';
import type { Cookie } from './cookies';
import { authSecret } from './secret';

/**
 * Known devices (SECURITY P9; OWASP's "device cookie" against lockout): a browser that once signed
 * in to an account carries a signed mark of it, and password sign-in from it is limited on its own
 * rather than by the account-wide limits strangers can exhaust. So an attacker who keeps failing at
 * an account slows only themselves, never the owner's usual browser. The mark names no account (a
 * MAC over the email) and, copied, only lets its holder try 5 passwords per 15 minutes.
 */
export const DEVICE_COOKIE = `${config.SITE_URL.startsWith('https://') ? '__Host-' : ''}dispatch-device`;
const MAX_AGE_S = 180 * 24 * 3600;

const mac = (email: string, issued: string, secret: string) =>
  createHmac('sha256', secret).update(`device\0${email}\0${issued}`).digest('base64url');

export function deviceMark(email: string, now = Date.now(), secret = authSecret()): string {
  const issued = Math.floor(now / 1000).toString(36);
  return `v1.${issued}.${mac(email, issued, secret)}`;
}

/** A key for this device's own sign-in limit when it carries a valid mark for `email`, else null. */
export function knownDevice(
  jar: Cookie[],
  email: string,
  now = Date.now(),
  secret = authSecret(),
): string | null {
  const value = jar.find((c) => c.name === DEVICE_COOKIE)?.value;
  const [version, issued, sent] = value?.split('.') ?? [];
  if (version !== 'v1' || !issued || !sent || !/^[0-9a-z]{1,10}$/.test(issued)) return null;
  if (now / 1000 - parseInt(issued, 36) > MAX_AGE_S) return null;
  const want = Buffer.from(mac(email, issued, secret));
  const got = Buffer.from(sent);
  return got.length === want.length && timingSafeEqual(got, want) ? sent : null;
}

/** Marks the browser of the current request as known for `email` (from next-auth's jwt callback). */
export async function rememberDevice(email: string | null | undefined) {
  if (!email) return;
  try {
    const { cookies } = await import('next/headers');
    (await cookies()).set(DEVICE_COOKIE, deviceMark(email), {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.SITE_URL.startsWith('https://'),
      path: '/',
      maxAge: MAX_AGE_S,
    });
  } catch {
    // Outside a request (tests) there is no browser to mark.
  }
}
