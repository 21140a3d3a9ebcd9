import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/auth';

// next-auth's endpoints (sign-in, callbacks, session, CSRF, sign-out). Built per request from the
// memoized options so importing this module at build time has no side effects.
const handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(authOptions())(req, ctx);

export { handler as GET, handler as POST };
