import { createHash } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import NextAuth from 'next-auth';
import { isValidElement, type ReactElement } from 'react';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Unavailable } from '@/components/unavailable';
import { authOptions } from '@/lib/auth/auth';
import { authSecret } from '@/lib/auth/secret';
import { unlessDatabaseDown } from '@/lib/auth/route-guard';
import { getViewer } from '@/lib/auth/session';
import { openDatabase } from '@/lib/db/client';
import { resetStorageState } from '@/lib/db/storage';
import { DATABASE_DOWN_MESSAGE } from '@/lib/errors';
import { renderOrUnavailable } from '@/lib/http/page';
import { log } from '@/lib/log';
import { allowLoggedErrors } from '@/lib/testing/log-guard';

// Issue 14: PostgreSQL stopped while the server runs. The pool points at a port nothing listens
// on, so every query fails to connect exactly as it does then (ECONNREFUSED, at once).
const down = openDatabase({ dialect: 'postgres', url: 'postgres://postgres@127.0.0.1:1/x' }, 2);
afterAll(() => down.db.destroy().catch(() => undefined));
vi.mock('@/lib/server', async (original) => ({
  ...(await original<typeof import('@/lib/server')>()),
  getDb: async () => down.db,
}));

const request = vi.hoisted(() => ({ cookie: '' }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'next-action': 'a1b2c3d4e5', cookie: request.cookie }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => undefined }),
}));
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error(`redirect ${to}`), { redirectTo: to });
  },
  notFound: () => {
    throw new Error('not found');
  },
}));

const SESSION_COOKIE = 'next-auth.session-token';
/** A reader's valid session cookie (the database, being down, is never asked whether it still is). */
const signedIn = async () => {
  const token = await encode({
    secret: authSecret(),
    token: { uid: 'u1', sid: 's1', ver: 0, role: 'editor', name: 'Ada', authTime: Date.now() },
  });
  request.cookie = `${SESSION_COOKIE}=${token}`;
  return token;
};

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

let errors: ReturnType<typeof allowLoggedErrors>;
let warns: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  resetStorageState();
  request.cookie = '';
  errors = allowLoggedErrors().mockImplementation(() => undefined);
  warns = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  warns.mockRestore();
  resetStorageState();
});

/** The outage was logged once, as one line, whatever number of requests met it. */
const loggedOnce = () => {
  expect(errors).toHaveBeenCalledTimes(1);
  expect(errors).toHaveBeenCalledWith(
    'db',
    expect.stringMatching(/^database unavailable \(ECONNREFUSED\): connect ECONNREFUSED 127\.0\.0\.1:1; /),
  );
};

describe('server actions while the database is down', () => {
  it('answer `unavailable`, keeping what the reader typed, from the session lookup on', async () => {
    await signedIn();
    const { postReply } = await import('@/lib/replies/actions');
    const { updateName } = await import('@/app/account/actions');
    expect(await postReply({ article: 'some-article', body: 'What I wrote' })).toEqual({
      ok: false,
      code: 'unavailable',
      message: DATABASE_DOWN_MESSAGE,
      values: { body: 'What I wrote' },
    });
    expect(await updateName(null, form({ name: 'Ada Lovelace' }))).toEqual({
      ok: false,
      code: 'unavailable',
      message: DATABASE_DOWN_MESSAGE,
      values: { name: 'Ada Lovelace' },
    });
    loggedOnce();
  });

  it('answer `unavailable` for sign-up too, keeping name and email but never the password', async () => {
    const { signUp } = await import('@/app/(auth)/actions');
    const values = { name: 'Grace', email: 'grace@example.org' };
    const result = await signUp(null, form({ ...values, password: 'a long enough passphrase 42' }));
    expect(result).toEqual({ ok: false, code: 'unavailable', message: DATABASE_DOWN_MESSAGE, values });
    loggedOnce();
  });

  it('"Sign out everywhere" says it could not, instead of pretending (no redirect, no error page)', async () => {
    await signedIn();
    const { signOutEverywhere } = await import('@/app/account/actions');
    expect(await signOutEverywhere()).toMatchObject({ ok: false, code: 'unavailable' });
  });
});

describe('pages while the database is down', () => {
  /** The page rendered the "try again" notice, for this address. */
  const unavailable = (page: unknown, retry: string) => {
    expect(isValidElement(page)).toBe(true);
    expect((page as ReactElement).type).toBe(Unavailable);
    expect((page as ReactElement<{ retry: string }>).props.retry).toBe(retry);
  };

  it('a page-level session lookup does not throw: the page gets its fallback', async () => {
    await signedIn();
    await expect(getViewer()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const lookUp = () =>
      renderOrUnavailable<Awaited<ReturnType<typeof getViewer>> | 'unavailable'>(
        getViewer,
        () => 'unavailable',
      );
    expect(await lookUp()).toBe('unavailable');
    // Signed out needs no database: still just signed out.
    request.cookie = '';
    expect(await lookUp()).toBeNull();
  });

  it('signed-in pages show "temporarily unavailable" instead of an error page', async () => {
    await signedIn();
    const following = (await import('@/app/following/page')).default;
    const account = (await import('@/app/account/page')).default;
    const notifications = (await import('@/app/notifications/page')).default;
    const desk = (await import('@/app/desk/page')).default;
    const edit = (await import('@/app/desk/edit/[slug]/page')).default;
    unavailable(await following({ searchParams: Promise.resolve({}) }), '/following');
    unavailable(await account(), '/account');
    unavailable(await notifications(), '/notifications');
    unavailable(await desk({ searchParams: Promise.resolve({}) }), '/desk');
    unavailable(
      await edit({ params: Promise.resolve({ slug: 'a-story' }), searchParams: Promise.resolve({}) }),
      '/desk/edit/a-story',
    );
    loggedOnce();
  });

  it('a signed-out reader is still sent to sign in (no database needed for that)', async () => {
    const following = (await import('@/app/following/page')).default;
    await expect(following({ searchParams: Promise.resolve({}) })).rejects.toMatchObject({
      redirectTo: '/signin?callbackUrl=%2Ffollowing',
    });
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('route handlers while the database is down', () => {
  it('answer 503 with Retry-After in the one JSON error shape', async () => {
    await signedIn();
    const { GET: follows } = await import('@/app/api/follows/route');
    const { handleUpload } = await import('@/lib/media/routes');
    const { servePersonalFeed } = await import('@/lib/feeds/routes');
    const answers = [
      await follows(),
      await handleUpload(new Request('http://127.0.0.1:3000/api/media', { method: 'POST' })),
      await servePersonalFeed('rss', 'a'.repeat(32)),
    ];
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ code: 'unavailable', message: DATABASE_DOWN_MESSAGE });
    }
    loggedOnce();
  });
});

describe('next-auth while the database is down', () => {
  type AuthRequest = {
    action: string;
    provider?: string;
    method?: string;
    cookies?: Record<string, string>;
    body?: Record<string, string>;
  };
  /**
   * next-auth's own handling of one request, with our options: its API-route entry point, which
   * runs the same core as the app route's but takes the request as arguments rather than from
   * next/headers (unavailable outside a Next server).
   */
  async function nextAuth({ action, provider, method = 'GET', cookies = {}, body = {} }: AuthRequest) {
    const out = { status: 200, body: undefined as unknown, headers: new Map<string, string | string[]>() };
    const res = {
      status: (code: number) => ((out.status = code), res),
      setHeader: (name: string, value: string | string[]) => (
        out.headers.set(name.toLowerCase(), value),
        res
      ),
      getHeader: (name: string) => out.headers.get(name.toLowerCase()),
      json: (data: unknown) => void (out.body = data),
      send: (data: unknown) => void (out.body = data),
      end: () => undefined,
    };
    const req = {
      method,
      query: { nextauth: provider ? [action, provider] : [action] },
      cookies,
      body,
      headers: { host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
    };
    await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<void>)(
      req,
      res,
      authOptions(),
    );
    const headers = new Headers();
    for (const cookie of [out.headers.get('set-cookie') ?? []].flat()) headers.append('set-cookie', cookie);
    return new Response(JSON.stringify(out.body ?? {}), { status: out.status, headers });
  }
  /** As the route answers: next-auth's answer, unless it met the outage (lib/auth/route-guard.ts). */
  const route = (req: AuthRequest) => unlessDatabaseDown(() => nextAuth(req));

  it('a signed-in reader’s session answers 503 and keeps its cookie (next-auth alone would sign them out)', async () => {
    const token = await signedIn();
    const session = { action: 'session', cookies: { [SESSION_COOKIE]: token } };
    // What next-auth does by itself: the session's error swallowed, the cookie deleted.
    const own = await nextAuth(session);
    expect(own.status).toBe(200);
    expect(own.headers.getSetCookie()).toContainEqual(expect.stringMatching(`^${SESSION_COOKIE}=;`));
    // What the route answers instead.
    const res = await route(session);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.json()).toEqual({
      code: 'unavailable',
      message: DATABASE_DOWN_MESSAGE,
      url: 'http://localhost:3000/signin?error=unavailable',
    });
    loggedOnce();
    // A reader without a session cookie needs no database: next-auth's empty session, 200.
    expect((await route({ action: 'session' })).status).toBe(200);
  });

  it('a password sign-in answers 503 with `error=unavailable` for the form, not "wrong password"', async () => {
    const csrf = 'c'.repeat(64);
    const hash = createHash('sha256').update(`${csrf}${authSecret()}`).digest('hex');
    const res = await route({
      action: 'callback',
      provider: 'password',
      method: 'POST',
      cookies: { 'next-auth.csrf-token': `${csrf}|${hash}` },
      body: {
        email: 'ada@example.org',
        password: 'a long enough passphrase 42',
        csrfToken: csrf,
        json: 'true',
      },
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; url: string };
    expect(body.code).toBe('unavailable');
    expect(new URL(body.url).searchParams.get('error')).toBe('unavailable');
    expect(warns).not.toHaveBeenCalledWith('auth', expect.stringMatching(/sign-in failed/));
    loggedOnce();
  });
});
