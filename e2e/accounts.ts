import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { openDatabase } from '../lib/db/client';
import type { Role } from '../lib/db/schema';
import { builtAction } from '../lib/testing/server-actions';
import { encode } from 'next-auth/jwt';
import { createUser, setAuthorSlug, setRole, signUpSchema, startSession } from '../lib/users/service';
import { E2E_AUTH_SECRET, E2E_BASE_URL, E2E_DATABASE_FILE, E2E_MAIL_DIR } from './env';

const SESSION_MS = 24 * 3600_000;

let n = 0;
export const uniqueEmail = (tag: string) => `${tag}-${Date.now()}-${++n}@example.org`;
export const PASSWORD = 'correct horse battery staple';

/** Opens the e2e server's database (SQLite) for a moment. */
export async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>['ready']>) => Promise<T>) {
  const { db, ready } = openDatabase({ dialect: 'sqlite', file: E2E_DATABASE_FILE }, 1);
  await ready;
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** A reader created with the app's own code, straight into the e2e server's database. */
export async function insertReader(name = 'Eve Reader', role: Role = 'reader') {
  const input = signUpSchema.parse({ name, email: uniqueEmail('reader'), password: PASSWORD });
  await withDb(async (db) => {
    await createUser(db, input);
    if (role !== 'reader') await setRole(db, input.email, role);
  });
  return input;
}

/**
 * An editor (SPEC §9): a reader promoted with the app's own setRole, with the byline `author` (an
 * author file of the e2e content, which the desk puts on what they post) unless it is null.
 */
export async function insertEditor(name = 'Ed Itor', author: string | null = 'maya-okafor') {
  const input = await insertReader(name, 'editor');
  if (author) await withDb((db) => setAuthorSlug(db, input.email, author));
  return input;
}

export async function signIn(page: Page, email: string, password = PASSWORD, callbackUrl = '/') {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A session for `email` written with the app's own code (startSession) and encoded as next-auth
 * would: the value of its session cookie.
 */
export async function sessionToken(email: string) {
  const user = await withDb((db) =>
    db
      .selectFrom('users')
      .select(['id', 'name', 'role', 'token_version'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow(),
  );
  const started = await withDb((db) => startSession(db, user.id, SESSION_MS));
  return encode({
    secret: E2E_AUTH_SECRET,
    maxAge: SESSION_MS / 1000,
    token: {
      uid: user.id,
      sid: started!.sessionId,
      ver: user.token_version,
      role: user.role,
      name: user.name,
      authTime: Date.now(),
    },
  });
}

/**
 * Signs in without the form (STYLE.md §1.7, A's `login`): a session row written with the app's
 * own code and the cookie next-auth would set, so journeys that only need a signed-in reader don't
 * repeat the sign-in form, which auth.spec.ts tests. Then opens `callbackUrl` and waits until the
 * header says so.
 */
export async function signInAs(page: Page, email: string, callbackUrl = '/') {
  const token = await sessionToken(email);
  await page
    .context()
    .addCookies([
      { name: 'next-auth.session-token', value: token, url: E2E_BASE_URL, httpOnly: true, sameSite: 'Lax' },
    ]);
  await page.goto(callbackUrl);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
}

/** The id of lib/replies/actions.ts#postReply in the e2e server's build. */
const postReplyActionId = () => builtAction('lib/replies/actions.ts', 'postReply').id;

/**
 * Posts a reply as the browser's reply form does: the postReply server action over HTTP, with the
 * reader's session cookie. Without a page, so a test can post many at once. True when it answered ok.
 */
export async function postReplyAs(
  request: APIRequestContext,
  token: string,
  input: { article: string; parentId?: string | null; body: string },
) {
  const res = await request.post(`/articles/${input.article}`, {
    headers: {
      'next-action': postReplyActionId(),
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin: E2E_BASE_URL,
      cookie: `next-auth.session-token=${token}`,
    },
    data: JSON.stringify([{ parentId: null, ...input }]),
  });
  return res.ok() && (await res.text()).includes('"ok":true');
}

/** Signs in through the form, as a reader does (and as the known-device rule needs). */
export async function signInWithForm(page: Page, email: string, callbackUrl = '/') {
  await signIn(page, email, PASSWORD, callbackUrl);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
}

/** The newest captured mail to `to`, waiting for it to arrive. */
export async function readMail(to: string): Promise<string> {
  let text = '';
  await expect
    .poll(() => {
      const file = readdirSync(E2E_MAIL_DIR)
        .filter((f) => f.endsWith(`-${to}.eml`))
        .sort()
        .at(-1);
      text = file ? readFileSync(path.join(E2E_MAIL_DIR, file), 'utf8') : '';
      return text.length > 0;
    })
    .toBe(true);
  // Quoted-printable soft line breaks would split the link.
  return text.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}
