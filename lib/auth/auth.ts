import type { NextAuthOptions, User as AuthUser } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import GoogleProvider from 'next-auth/providers/google';
import { type Db } from '../db/client';
import { isDatabaseUnavailable, noteOutage } from '../db/storage';
import { getDb } from '../server';
import type { Role } from '../db/schema';
import { config, type Config } from '../env';
import { log } from '../log';
import { signInFailures } from '../metrics/metrics';
import {
  authenticate,
  endSession,
  getSessionUser,
  signInSchema,
  startSession,
  touchSession,
  upsertOAuthUser,
  upsertVerifiedUser,
} from '../users/service';
import { safeCallbackUrl } from './callback-url';
import { clientIp, headerValue } from '../net/client-address';
import { parseCookies } from './cookies';
import { knownDevice, rememberDevice } from './device';
import { recordSignInFailure, recordSignInSuccess, signInBlocked } from './limits';
import { heldByOutage } from './route-guard';
import { consumeMagicLink } from './magic-link';
import { verifyNothing } from '../users/password';
import { authSecret } from './secret';

const READER_SESSION_MS = 30 * 24 * 3600_000; // absolute cap (SECURITY P12): 30 days for readers
const STAFF_SESSION_MS = 12 * 3600_000; // …and 12 hours for moderators and admins
const STAFF_IDLE_MS = 30 * 60_000; // …who are also signed out after 30 idle minutes
const TOUCH_EVERY_MS = 60_000; // how stale last_seen_at may get: one write a minute per active staff session

/** Thrown in the jwt callback when a session must end; next-auth then clears the cookie. */
class SessionEnded extends Error {
  override name = 'SessionEnded';
}

export type Token = { uid: string; sid: string; ver: number; role: Role; name: string; authTime: number };
type SignedIn = AuthUser & { ver?: number };

/**
 * A signed-in session's token checked against the database on every use (SECURITY P11–P13): its
 * session row still exists (not signed out), the account's sessions were not all ended (token
 * version), and it is within its age caps for the account's current role. Role and name come
 * fresh from the row. Throws SessionEnded otherwise. Shared by next-auth's jwt callback and getViewer().
 */
export async function refreshToken(db: Db, t: Partial<Token>, now = Date.now()): Promise<Token> {
  const sid = typeof t.sid === 'string' ? t.sid : null;
  const current = typeof t.uid === 'string' && sid ? await getSessionUser(db, t.uid, sid, now) : undefined;
  if (!current || !sid || current.token_version !== t.ver) throw new SessionEnded('session revoked');
  const staff = current.role !== 'reader';
  if (typeof t.authTime !== 'number' || now - t.authTime > (staff ? STAFF_SESSION_MS : READER_SESSION_MS))
    throw new SessionEnded('session too old');
  if (staff) {
    if (now - current.last_seen_at > STAFF_IDLE_MS) {
      await endSession(db, sid);
      throw new SessionEnded('session idle');
    }
    if (now - current.last_seen_at > TOUCH_EVERY_MS) await touchSession(db, sid, now);
  }
  return {
    uid: current.id,
    sid,
    ver: current.token_version,
    role: current.role,
    name: current.name,
    authTime: t.authTime,
  };
}

export const isSessionEnded = (error: unknown): error is Error =>
  error instanceof Error && error.name === 'SessionEnded';

/**
 * Password sign-in behind the sign-in limits (lib/auth/limits.ts); null (a generic failure) when
 * wrong. Exported for tests, which pass the request headers as next-auth would.
 */
export async function passwordSignIn(
  credentials: Record<string, string> | undefined,
  headers: Record<string, string | string[] | undefined>,
  db: () => Promise<Db> = getDb,
): Promise<SignedIn | null> {
  const parsed = signInSchema.safeParse({
    email: credentials?.email ?? '',
    password: credentials?.password ?? '',
  });
  if (!parsed.success) {
    await verifyNothing(String(credentials?.password ?? '').slice(0, 1024));
    signInFailures.inc({ method: 'password', reason: 'invalid' });
    return null;
  }
  const { email, password } = parsed.data;
  const ip = clientIp(headers);
  const device = knownDevice(parseCookies(headerValue(headers, 'cookie') ?? null), email);
  const attempt = { email, ip, device };
  const blocked = await signInBlocked(attempt);
  if (blocked) {
    log.warn('auth', `sign-in rate limited (${blocked.scope}) ip=${ip}`);
    signInFailures.inc({ method: 'password', reason: 'rate_limited' });
    throw new Error(`rate_limited:${blocked.retryAfterSeconds}`);
  }
  const user = await db()
    .then((database) => authenticate(database, email, password))
    .catch(unlessOutage);
  if (!user) {
    await recordSignInFailure(attempt);
    log.warn('auth', `sign-in failed ip=${ip}${device ? ' (known device)' : ''}`);
    signInFailures.inc({ method: 'password', reason: 'wrong' });
    return null;
  }
  await recordSignInSuccess(attempt);
  log.info('auth', `signed in ${user.id} (password) ip=${ip}`);
  return { id: user.id, name: user.name, email: user.email, ver: user.token_version };
}

async function magicLinkSignIn(credentials: Record<string, string> | undefined): Promise<SignedIn | null> {
  const db = await getDb().catch(unlessOutage);
  const link = await consumeMagicLink(db, String(credentials?.token ?? '')).catch(unlessOutage);
  if (!link) {
    log.warn('auth', 'magic link refused (unknown, used or expired)');
    signInFailures.inc({ method: 'magic_link', reason: 'refused' });
    return null;
  }
  const user = await upsertVerifiedUser(db, link.email).catch(unlessOutage);
  log.info('auth', `signed in ${user.id} (magic link)`);
  return { id: user.id, name: user.name, email: user.email, ver: user.token_version };
}

/**
 * In `authorize`: the database being down is not a failed sign-in. next-auth would put the error's
 * own text in the sign-in page's URL; `unavailable` goes there instead, and the route answers 503
 * (lib/auth/route-guard.ts). Anything else is rethrown as it was.
 */
function unlessOutage(error: unknown): never {
  if (heldByOutage(error)) throw new Error('unavailable');
  throw error;
}

/** A callback whose database outage next-auth would swallow: kept for the route's 503 first. */
function holdingOutage<P extends unknown[], R>(callback: (...params: P) => Promise<R>) {
  return async (...params: P): Promise<R> => {
    try {
      return await callback(...params);
    } catch (error) {
      heldByOutage(error);
      throw error;
    }
  };
}

/** next-auth's options for a configuration; a function so tests can check each provider set-up. */
export function buildAuthOptions(cfg: Config): NextAuthOptions {
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'password',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      authorize: (credentials, req) => passwordSignIn(credentials, req?.headers ?? {}),
    }),
  ];
  if (cfg.EMAIL_SERVER) {
    providers.push(
      CredentialsProvider({
        id: 'magic-link',
        name: 'Email link',
        credentials: { token: { type: 'text' } },
        authorize: magicLinkSignIn,
      }),
    );
  }
  // OAuth only when configured; identities are keyed by (provider, subject) and never linked to
  // an existing account by email (no allowDangerousEmailAccountLinking), SECURITY P15.
  if (cfg.GITHUB_ID && cfg.GITHUB_SECRET) {
    providers.push(
      GitHubProvider({ clientId: cfg.GITHUB_ID, clientSecret: cfg.GITHUB_SECRET, checks: ['pkce', 'state'] }),
    );
  }
  if (cfg.GOOGLE_ID && cfg.GOOGLE_SECRET) {
    providers.push(
      GoogleProvider({
        clientId: cfg.GOOGLE_ID,
        clientSecret: cfg.GOOGLE_SECRET,
        checks: ['pkce', 'state', 'nonce'],
      }),
    );
  }

  return {
    secret: authSecret(),
    providers,
    session: { strategy: 'jwt', maxAge: READER_SESSION_MS / 1000, updateAge: 24 * 3600 },
    useSecureCookies: cfg.SITE_URL.startsWith('https://'),
    pages: { signIn: '/signin', error: '/signin' },
    events: {
      // Sign-out ends the session on the server too: a copy of the cookie is signed out everywhere.
      // With the database down the cookie is still deleted (a reader signing out of a shared
      // computer must not stay signed in there), but only this copy is signed out: the log says so.
      async signOut({ token }) {
        const sid = (token as Partial<Token> | null)?.sid;
        const uid = String((token as Partial<Token> | null)?.uid ?? '');
        try {
          if (typeof sid === 'string') await endSession(await getDb(), sid);
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error;
          noteOutage(error);
          log.warn(
            'auth',
            `signed out ${uid} on this device only: the database is down, the session stays valid`,
          );
          return;
        }
        log.info('auth', `signed out ${uid}`);
      },
    },
    callbacks: {
      // An outage here is held for the route's 503: next-auth's session route would sign the reader out.
      jwt: holdingOutage(async ({ token, user, account, profile }) => {
        const db = await getDb();
        if (user) {
          let uid = user.id;
          if (account?.type === 'oauth') {
            uid = (
              await upsertOAuthUser(db, account.provider, account.providerAccountId, {
                name: profile?.name ?? user.name,
              })
            ).id;
            log.info('auth', `signed in ${uid} (${account.provider})`);
          }
          const started = await startSession(db, uid, READER_SESSION_MS);
          if (!started) throw new SessionEnded('account not found');
          const { sessionId, user: fresh } = started;
          // This browser may now sign in to the account even while strangers have it rate limited.
          await rememberDevice(account?.type === 'credentials' ? user.email : null);
          // A new object: the default token's email and picture are deliberately dropped.
          return {
            uid,
            sid: sessionId,
            ver: fresh.token_version,
            role: fresh.role,
            name: fresh.name,
            authTime: Date.now(),
          } satisfies Token;
        }
        return refreshToken(db, token as Partial<Token>);
      }),
      session({ session, token }) {
        const t = token as unknown as Token;
        return { expires: session.expires, user: { id: t.uid, name: t.name, role: t.role } };
      },
      redirect({ url, baseUrl }) {
        return new URL(safeCallbackUrl(url, baseUrl), baseUrl + '/').toString();
      },
    },
    logger: {
      error(code, metadata) {
        const error = (metadata as { error?: unknown })?.error ?? metadata;
        if (isSessionEnded(error)) return log.info('auth', `session ended: ${error.message}`);
        if (heldByOutage(error)) return; // answered 503 by the route, and counted there
        log.error('auth', `${code}: ${error instanceof Error ? error.message : JSON.stringify(metadata)}`);
      },
      warn(code) {
        log.warn('auth', code);
      },
      debug() {},
    },
  };
}

// next-auth v4 reads its own base URL from the environment; ours is SITE_URL, never the Host header.
process.env.NEXTAUTH_URL ??= config.SITE_URL;

let options: NextAuthOptions | null = null;
export const authOptions = () => (options ??= buildAuthOptions(config));
