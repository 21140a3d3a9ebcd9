import type { NextAuthOptions, User as AuthUser } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import GoogleProvider from 'next-auth/providers/google';
import { getDb, type Db } from '../db/client';
import type { Role } from '../db/schema';
import { config, type Config } from '../env';
import { log } from '../log';
import { consume } from '../rate-limit/limiter';
import {
  authenticate,
  getSessionUser,
  signInSchema,
  upsertOAuthUser,
  upsertVerifiedUser,
} from '../users/service';
import { safeCallbackUrl } from './callback-url';
import { clientIp, loginLimits } from './limits';
import { consumeMagicLink } from './magic-link';
import { verifyNothing } from './password';
import { authSecret } from './secret';

const READER_SESSION_MS = 30 * 24 * 3600_000; // absolute cap (SECURITY P12): 30 days for readers
const STAFF_SESSION_MS = 12 * 3600_000; // …and 12 hours for moderators and admins

/** Thrown in the jwt callback when a session must end; next-auth then clears the cookie. */
class SessionEnded extends Error {
  override name = 'SessionEnded';
}

export type Token = { uid: string; ver: number; role: Role; name: string; authTime: number };
type SignedIn = AuthUser & { ver?: number };

/**
 * A signed-in session's token checked against the database on every use (SECURITY P12–P13): the
 * account still exists, its sessions were not ended (token version), and the session is within
 * its absolute age cap for the account's current role. Role and name come fresh from the row.
 * Throws SessionEnded otherwise. Shared by next-auth's jwt callback and getViewer().
 */
export async function refreshToken(db: Db, t: Partial<Token>): Promise<Token> {
  const current = typeof t.uid === 'string' ? await getSessionUser(db, t.uid) : undefined;
  if (!current || current.token_version !== t.ver) throw new SessionEnded('session revoked');
  const cap = current.role === 'reader' ? READER_SESSION_MS : STAFF_SESSION_MS;
  if (typeof t.authTime !== 'number' || Date.now() - t.authTime > cap)
    throw new SessionEnded('session too old');
  return {
    uid: current.id,
    ver: current.token_version,
    role: current.role,
    name: current.name,
    authTime: t.authTime,
  };
}

export const isSessionEnded = (error: unknown): error is Error =>
  error instanceof Error && error.name === 'SessionEnded';

/** next-auth's session cookie name (its default, which we don't override). */
export const sessionCookieName = (cfg: Pick<Config, 'SITE_URL'>) =>
  `${cfg.SITE_URL.startsWith('https://') ? '__Secure-' : ''}next-auth.session-token`;

/** Password sign-in with per-account and per-IP limits; null (a generic failure) when wrong. */
async function passwordSignIn(
  credentials: Record<string, string> | undefined,
  ip: string,
): Promise<SignedIn | null> {
  const parsed = signInSchema.safeParse({
    email: credentials?.email ?? '',
    password: credentials?.password ?? '',
  });
  if (!parsed.success) {
    await verifyNothing(String(credentials?.password ?? '').slice(0, 1024));
    return null;
  }
  const { email, password } = parsed.data;
  const keys = { accountIp: `${email}|${ip}`, account: email, ip } as const;
  for (const name of ['accountIp', 'account', 'ip'] as const) {
    const state = await loginLimits[name].get(keys[name]);
    if (state && state.remainingPoints <= 0 && state.msBeforeNext > 0) {
      log.warn('auth', `sign-in rate limited (${name}) ip=${ip}`);
      throw new Error(`rate_limited:${Math.ceil(state.msBeforeNext / 1000)}`);
    }
  }
  const db = await getDb();
  const user = await authenticate(db, email, password);
  if (!user) {
    await Promise.all(
      (['accountIp', 'account', 'ip'] as const).map((name) => consume(loginLimits[name], keys[name])),
    );
    log.warn('auth', `sign-in failed ip=${ip}`);
    return null;
  }
  await loginLimits.accountIp.delete(keys.accountIp);
  log.info('auth', `signed in ${user.id} (password)`);
  return { id: user.id, name: user.name, ver: user.token_version };
}

async function magicLinkSignIn(credentials: Record<string, string> | undefined): Promise<SignedIn | null> {
  const db = await getDb();
  const link = await consumeMagicLink(db, String(credentials?.token ?? ''));
  if (!link) {
    log.warn('auth', 'magic link refused (unknown, used or expired)');
    return null;
  }
  const user = await upsertVerifiedUser(db, link.email);
  log.info('auth', `signed in ${user.id} (magic link)`);
  return { id: user.id, name: user.name, ver: user.token_version };
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
      authorize: (credentials, req) => passwordSignIn(credentials, clientIp(req?.headers ?? {})),
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
    callbacks: {
      async jwt({ token, user, account, profile }) {
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
          const fresh = await getSessionUser(db, uid);
          if (!fresh) throw new SessionEnded('account not found');
          // A new object: the default token's email and picture are deliberately dropped.
          return {
            uid,
            ver: fresh.token_version,
            role: fresh.role,
            name: fresh.name,
            authTime: Date.now(),
          } satisfies Token;
        }
        return refreshToken(db, token as Partial<Token>);
      },
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
