import { outOfSpace } from '../db/client';
import { config } from '../env';
import { UNAVAILABLE_MESSAGE } from '../errors';
import { readCappedBody } from '../http/body';
import { jsonError } from '../http/json';
import { log } from '../log';
import { safeCallbackUrl } from './callback-url';

/**
 * Signing in and out write a session row: with the disk full, a POST is answered 503 saying so
 * rather than failing inside next-auth. Null when the request may go on.
 */
export async function refuseWhileOutOfSpace(req: Request): Promise<Response | null> {
  if (req.method !== 'POST' || !(await outOfSpace())) return null;
  return jsonError(503, 'unavailable', UNAVAILABLE_MESSAGE, { 'retry-after': '60' });
}

/** next-auth's forms (credentials, CSRF token, callback URL) fit well within this. */
const AUTH_BODY_LIMIT = 64 * 1024;

/** The body of a request to /api/auth/*, read up to 64 KiB (lib/http/body.ts). */
export const readAuthBody = (req: Request) => readCappedBody(req, AUTH_BODY_LIMIT);

/** next-auth's callback-url cookie names, plain and __Secure- (it picks by useSecureCookies). */
const CALLBACK_COOKIES = ['next-auth.callback-url', '__Secure-next-auth.callback-url'];

/**
 * Replaces a callback-url cookie that is not a plain path or URL on this site with the home page:
 * next-auth refuses such a value as a configuration error and answered 500 to every sign-in from
 * that browser (issue 11). next-auth reads cookies through next/headers, whose jar a route handler
 * may change; the browser gets the corrected cookie back.
 */
export async function sanitizeCallbackCookie() {
  const { cookies } = await import('next/headers');
  const jar = await cookies();
  for (const name of CALLBACK_COOKIES) {
    const value = jar.get(name)?.value;
    if (value === undefined || isPlainCallback(value)) continue;
    log.warn('auth', `replaced a malformed ${name} cookie`);
    jar.set(name, config.SITE_URL + '/', {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: name.startsWith('__Secure-'),
    });
  }
}

function isPlainCallback(value: string): boolean {
  if (!/^[\x21-\x7e]{1,2000}$/.test(value)) return false;
  const safe = safeCallbackUrl(value, config.SITE_URL);
  return safe !== '/' || value === '/' || value === config.SITE_URL || value === config.SITE_URL + '/';
}
