import { expect, test } from '@playwright/test';
import { encode } from 'next-auth/jwt';
import { openDatabase } from '../../lib/db/client';
import { builtAction } from '../../lib/testing/server-actions';
import { createUser, setRole, signUpSchema, startSession } from '../../lib/users/service';
import { INSTANCES } from '../../playwright.multi.config';

// Issue 13 item 7: instances A and C share one CONTENT_DIR (and one database and Redis). An update
// published through the desk on A appears live on a browser connected to C; a conflict between
// two editors saving through A and C is caught as on one instance.

const base = (name: keyof typeof INSTANCES) => `http://127.0.0.1:${INSTANCES[name].port}`;
const TOPIC = 'northport-flood-updates';
const AUTH_SECRET = 'e2e-secret-not-for-production-0123456789abcdef'; // e2e/serve.mjs

/** An editor made with the app's own code in the shared database, and its session cookie. */
async function editorCookie() {
  const { db, ready } = openDatabase({ dialect: 'postgres', url: process.env.E2E_DATABASE_URL! }, 1);
  await ready;
  try {
    const input = signUpSchema.parse({
      name: 'Multi Editor',
      email: `multi-editor-${Date.now()}@example.org`,
      password: 'correct horse battery staple',
    });
    const user = await createUser(db, input);
    await setRole(db, input.email, 'editor');
    const session = await startSession(db, user.id, 3600_000);
    const token = await encode({
      secret: AUTH_SECRET,
      token: {
        uid: user.id,
        sid: session!.sessionId,
        ver: 1,
        role: 'editor',
        name: user.name,
        authTime: Date.now(),
      },
    });
    return `next-auth.session-token=${token}`;
  } finally {
    await db.destroy();
  }
}

const actionId = (name: string) => builtAction('lib/desk/actions.ts', name).id;

/** Calls a desk action on an instance as the topic page's composer does; the action's result. */
async function call(instance: keyof typeof INSTANCES, cookie: string, name: string, arg: unknown) {
  const res = await fetch(`${base(instance)}/topics/${TOPIC}`, {
    method: 'POST',
    headers: {
      'next-action': actionId(name),
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin: base(instance),
      cookie,
    },
    body: JSON.stringify([arg]),
  });
  const text = await res.text();
  // The RSC payload's result line: `1:{"ok":…}`.
  const line = text.split('\n').find((l) => /^\d+:\{"ok":/.test(l));
  if (!line) throw new Error(`${name} on ${instance}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(line.slice(line.indexOf(':') + 1)) as {
    ok: boolean;
    code?: string;
    data?: { slug: string; fingerprint: string };
    current?: { fingerprint: string };
  };
}

test('an update published through the desk on A appears live on a browser of C; conflicts across instances', async ({
  page,
}) => {
  const cookie = await editorCookie();
  await page.goto(`${base('c')}/topics/${TOPIC}`);
  await expect(page.locator('.live-status[data-status="live"]')).toBeAttached({ timeout: 20_000 });
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  // A reader following along: the top of the stream on screen, so new items are inserted (SPEC §6).
  await page.evaluate(() => document.querySelector('.live-stream')?.scrollIntoView({ block: 'start' }));

  const headline = `Published on A ${Date.now()}`;
  const posted = await call('a', cookie, 'postUpdate', {
    topic: TOPIC,
    headline,
    body: 'Through the desk of A.',
  });
  expect(posted.ok).toBe(true);
  await expect(page.getByRole('heading', { name: headline })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1); // no reload

  // Two editors load the same version; the first saves on A, the second's save on C is refused.
  const slug = posted.data!.slug;
  const loaded = await call('c', cookie, 'loadEntry', { slug });
  const first = await call('a', cookie, 'editEntry', {
    slug,
    fingerprint: loaded.data!.fingerprint,
    body: 'Edited on A.',
  });
  expect(first.ok).toBe(true);
  const second = await call('c', cookie, 'editEntry', {
    slug,
    fingerprint: loaded.data!.fingerprint,
    body: 'Edited on C, unaware.',
  });
  expect(second).toMatchObject({ ok: false, code: 'conflict' });
  expect(second.current!.fingerprint).toBe(first.data!.fingerprint);
  await expect(page.getByRole('heading', { name: 'Edited on A.' })).toBeVisible(); // live on C, no reload
});
