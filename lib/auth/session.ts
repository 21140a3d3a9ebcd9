import 'server-only';
import { decode } from 'next-auth/jwt';
import { headers } from 'next/headers';
import { type Db } from '../db/client';
import { getDb } from '../server';
import type { Role } from '../db/schema';
import { config } from '../env';
import { log } from '../log';
import { clientIp } from '../net/client-address';
import { isSessionEnded, refreshToken, type Token } from './auth';
import { parseCookies, sessionCookieName, type Cookie } from './cookies';
import { authSecret } from './secret';

/** The signed-in reader as pages and actions see them: never their email. */
export type Viewer = { id: string; name: string; role: Role };

/**
 * The current viewer, or null. The session is re-checked against the database on every call
 * (token version, role, age), so a revoked session is null here.
 *
 * Why not next-auth's getServerSession: in pages and server actions it runs the whole session
 * route — a CSRF token, decrypt, the jwt callback, then re-encrypting the token for a rolling
 * cookie that it cannot set there (its response is a no-op) — about 1 ms of CPU per call, a
 * quarter of a posted reply (docs/benchmarks.md, Replies). This does the part that decides:
 * decrypt with next-auth's own decode (expiry checked) and the jwt callback's checks, shared.
 */
export async function getViewer(): Promise<Viewer | null> {
  // The raw header, not cookies(): in a server action that builds a mutable cookie store, ~2 % of a reply.
  return viewerFromHeaders(await headers());
}

const viewerFromHeaders = (h: Headers) => viewerFromCookies(parseCookies(h.get('cookie')), getDb);

/**
 * The viewer for a server action. Actions are public endpoints (STYLE.md §1.3): a call without a
 * session is refused by the caller, and logged here with the action's id and the client's address
 * (SECURITY P23), so probing shows up in the logs.
 */
export async function actionViewer(): Promise<Viewer | null> {
  const h = await headers();
  const viewer = await viewerFromHeaders(h);
  if (!viewer) logRefusal(h, 'not signed in');
  return viewer;
}

/** Logs a refused server action call: which action (its id), why, from where. */
export function logRefusal(h: Headers, why: string) {
  const id = (h.get('next-action') ?? 'unknown').slice(0, 64);
  log.warn('authz', `refused action ${id}: ${why} ip=${clientIp(h)}`);
}

// Tokens already decrypted, by their exact text: AES-GCM decryption is deterministic, so a token
// seen before decodes to the same claims, and only its expiry needs checking again. This skips
// the key derivation and decryption (~0.15 ms) on every request after a reader's first. Only
// tokens that decrypted are kept; a bounded number, oldest out first.
const decoded = new Map<string, Partial<Token> & { exp?: number }>();
const DECODED_MAX = 2_000;
const CLOCK_TOLERANCE_S = 15; // next-auth's own, for exp

async function decodeToken(raw: string, secret: string): Promise<Partial<Token> | null> {
  const key = secret + '\0' + raw;
  let claims = decoded.get(key);
  if (!claims) {
    try {
      claims = ((await decode({ token: raw, secret })) ?? undefined) as typeof claims;
    } catch {
      return null; // tampered, expired or from another secret: signed out, as next-auth treats it
    }
    if (!claims) return null;
    if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, claims);
  }
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_TOLERANCE_S < Date.now() / 1000) {
    decoded.delete(key);
    return null;
  }
  return claims;
}

export async function viewerFromCookies(
  jar: Cookie[],
  db: () => Promise<Db>,
  name = sessionCookieName(config),
  secret = authSecret(),
): Promise<Viewer | null> {
  const raw = sessionToken(jar, name);
  if (!raw) return null;
  const token = await decodeToken(raw, secret);
  if (!token) return null;
  try {
    const t = await refreshToken(await db(), token);
    return { id: t.uid, name: t.name, role: t.role };
  } catch (error) {
    if (!isSessionEnded(error)) throw error;
    log.info('auth', `session ended: ${error.message}`);
    return null;
  }
}

/** The session cookie's value, joined from `name.0`, `name.1`… when next-auth had to chunk it. */
function sessionToken(jar: Cookie[], name: string): string | undefined {
  const whole = jar.find((c) => c.name === name);
  if (whole) return whole.value;
  const chunks = jar
    .map((c) => ({ c, i: c.name.startsWith(name + '.') ? Number(c.name.slice(name.length + 1)) : NaN }))
    .filter(({ i }) => Number.isInteger(i) && i >= 0)
    .sort((a, b) => a.i - b.i);
  return chunks.length ? chunks.map(({ c }) => c.value).join('') : undefined;
}
