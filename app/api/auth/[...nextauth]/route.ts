import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/auth';
import {
  readAuthBody,
  refuseWhileOutOfSpace,
  sanitizeCallbackCookie,
  unlessDatabaseDown,
} from '@/lib/auth/route-guard';

// next-auth's endpoints (sign-in, callbacks, session, CSRF, sign-out). Built per request from the
// memoized options so importing this module at build time has no side effects.
const nextAuth = (req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(authOptions())(req, ctx);

/**
 * What reaches next-auth is first bounded (issue 11): its forms are a few hundred bytes, but it
 * reads whatever body it is sent into memory, so a body over the cap is refused with 413 after
 * reading at most the cap; and a callback-url cookie next-auth would choke on is replaced. With the
 * disk full, a POST (signing in or out writes a session row) is answered 503 first; with the
 * database down, whatever needed it (a sign-in, a signed-in reader's session) is answered 503
 * instead of next-auth's own answer, and no cookie is touched (issue 14).
 */
async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  const full = await refuseWhileOutOfSpace(req);
  if (full) return full;
  const body = await readAuthBody(req);
  if (body instanceof Response) return body;
  await sanitizeCallbackCookie();
  const request =
    body === null ? req : new NextRequest(req.url, { method: req.method, headers: req.headers, body });
  return unlessDatabaseDown(() => nextAuth(request, ctx));
}

export { handler as GET, handler as POST };
