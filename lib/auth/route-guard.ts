import { AsyncLocalStorage } from 'node:async_hooks';
import { outOfSpace } from '../db/client';
import { isDatabaseUnavailable, noteOutage } from '../db/storage';
import { config } from '../env';
import { UNAVAILABLE_MESSAGE } from '../errors';
import { readCappedBody } from '../http/body';
import { databaseUnavailable } from '../http/json';
import { log } from '../log';
import { safeCallbackUrl } from './callback-url';

/**
 * Beside `{ code, message }`, a 503 from /api/auth/* carries the `url` next-auth's own answers
 * have: its browser client (signIn) reads the `error` parameter there, and throws without one.
 */
const UNAVAILABLE_URL = () => ({ url: new URL('/signin?error=unavailable', config.SITE_URL).toString() });

/**
 * Signing in and out write a session row: with the disk full, a POST is answered 503 saying so
 * rather than failing inside next-auth. Null when the request may go on.
 */
export async function refuseWhileOutOfSpace(req: Request): Promise<Response | null> {
  if (req.method !== 'POST' || !(await outOfSpace())) return null;
  return Response.json(
    { code: 'unavailable', message: UNAVAILABLE_MESSAGE, ...UNAVAILABLE_URL() },
    { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '60' } },
  );
}

// next-auth catches what fails inside it and answers for itself: an error in the jwt callback of
// its session route becomes a signed-out answer that also deletes the session cookie (every reader
// signed out by an outage), one in `authorize` becomes a failed sign-in with the error's text in
// the URL. So a database outage met in there is caught where it happens (`heldByOutage`), kept for
// the request here, and the route answers 503 instead of whatever next-auth made of it.
const requests = new AsyncLocalStorage<{ error: unknown }>();

/**
 * For next-auth's callbacks: true when `error` is the database being unable to serve, which is
 * then kept for the request's 503 (or, outside a request, counted as an outage).
 */
export function heldByOutage(error: unknown): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  const request = requests.getStore();
  if (!request) noteOutage(error);
  else request.error ??= error;
  return true;
}

/**
 * Runs next-auth for one request. If it met a database outage (held above, or thrown through, as
 * the jwt callback of a sign-in does), the answer is 503 with `Retry-After` instead, and no cookie
 * is changed: a signed-in reader stays signed in for when the database is back.
 */
export async function unlessDatabaseDown(run: () => Promise<Response>): Promise<Response> {
  const request: { error: unknown } = { error: null };
  let response: Response | null = null;
  try {
    response = await requests.run(request, run);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    request.error = error;
  }
  if (request.error !== null || !response) return databaseUnavailable(request.error, UNAVAILABLE_URL());
  return response;
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
