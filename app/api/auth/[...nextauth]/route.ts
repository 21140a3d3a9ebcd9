import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/auth';
import { readCappedBody, sanitizeCallbackCookie } from '@/lib/auth/route-guard';
import { outOfSpace } from '@/lib/db/client';
import { UNAVAILABLE_MESSAGE } from '@/lib/errors';
import { jsonError } from '@/lib/http/json';

// next-auth's endpoints (sign-in, callbacks, session, CSRF, sign-out). Built per request from the
// memoized options so importing this module at build time has no side effects.
const nextAuth = (req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(authOptions())(req, ctx);

/**
 * What reaches next-auth is first bounded (issue 11): its forms are a few hundred bytes, but it
 * reads whatever body it is sent into memory, so a body over the cap is refused with 413 after
 * reading at most the cap; and a callback-url cookie next-auth would choke on is replaced.
 */
async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  // Signing in and out write a session row: with the disk full, say so rather than fail inside.
  if (req.method === 'POST' && (await outOfSpace()))
    return jsonError(503, 'unavailable', UNAVAILABLE_MESSAGE, { 'retry-after': '60' });
  const body = await readCappedBody(req);
  if (body instanceof Response) return body;
  await sanitizeCallbackCookie();
  if (body === null) return nextAuth(req, ctx);
  return nextAuth(new NextRequest(req.url, { method: req.method, headers: req.headers, body }), ctx);
}

export { handler as GET, handler as POST };
