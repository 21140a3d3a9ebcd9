import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { builtActions } from '../lib/testing/server-actions';
import { insertReader, sessionToken, withDb } from './accounts';
import { E2E_BASE_URL, E2E_CONTENT_DIR } from './env';

// SPEC §9: "A desk action by anyone else answers forbidden (signed in) or unauthorized (signed
// out) and changes nothing." Every action of lib/desk/actions.ts is called the way a browser
// would (POST with Next-Action), with arguments that would pass its schema, by a reader and by a
// signed-out client; the content folder and the desk's log are compared before and after.

const TOPIC = 'northport-flood-updates';
const ARTICLE = firstArticleSlug();
const FINGERPRINT = 'A'.repeat(43);
const calls: Record<string, unknown> = {
  listBylines: undefined,
  postUpdate: { topic: TOPIC, body: 'Injected update', keyEvent: true },
  previewEntry: { body: 'Preview' },
  loadEntry: { slug: ARTICLE },
  editEntry: { slug: ARTICLE, fingerprint: FINGERPRINT, body: 'Overwritten' },
  setEntryFlag: { slug: ARTICLE, flag: 'pinned', value: true },
  deleteEntry: { slug: ARTICLE },
  restoreEntry: { path: `.trash/articles/${ARTICLE}.mdx` },
  saveArticle: { title: 'Injected', topics: [TOPIC], publishedAt: '2026-12-01T10:00:00Z', body: 'Injected' },
  createTopic: { title: 'Injected topic', description: 'Injected.' },
  setTopicLive: { topic: TOPIC, live: false },
};

function firstArticleSlug(): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(path.join(dir, e.name))
        : e.name.endsWith('.mdx')
          ? [path.join(dir, e.name)]
          : [],
    );
  return path.basename(walk(path.resolve('content/articles')).sort()[0]!, '.mdx');
}

/** Every file under CONTENT_DIR with its hash (the desk's lock folder aside). */
function contentState(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.desk') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else
        out.push(
          `${path.relative(E2E_CONTENT_DIR, full)} ${statSync(full).size} ${createHash('sha1').update(readFileSync(full)).digest('hex')}`,
        );
    }
  };
  walk(E2E_CONTENT_DIR);
  return out.sort();
}

/** Each desk action's id in this build, with a page it is bound to (any one will do). */
function deskActions(): { name: string; id: string; page: string }[] {
  return builtActions('lib/desk/actions.ts').map(({ name, id, workers }) => {
    const worker = workers.find((w) => w.endsWith('/page'))!;
    const page = worker
      .replace(/^app/, '')
      .replace(/\/page$/, '')
      .replace('[topic]', TOPIC)
      .replace('[slug]', ARTICLE)
      .replace(/\/\([^)]*\)/g, '');
    return { name, id, page: page || '/' };
  });
}

test('a reader and a signed-out client calling the desk actions directly change nothing', async ({
  request,
}) => {
  const actions = deskActions();
  expect(actions.map((a) => a.name).sort()).toEqual(Object.keys(calls).sort());
  const reader = await insertReader('Rita Reader');
  const token = await sessionToken(reader.email);
  const before = contentState();
  const logBefore = await withDb((db) => db.selectFrom('desk_log').select('id').execute());

  for (const action of actions) {
    for (const who of ['reader', 'signed out'] as const) {
      const res = await request.post(action.page, {
        headers: {
          'next-action': action.id,
          'content-type': 'text/plain;charset=UTF-8',
          accept: 'text/x-component',
          origin: E2E_BASE_URL,
          ...(who === 'reader' ? { cookie: `next-auth.session-token=${token}` } : {}),
        },
        data: JSON.stringify([calls[action.name]]),
      });
      const text = await res.text();
      const expected = who === 'reader' ? 'forbidden' : 'unauthorized';
      expect(text, `${action.name} as ${who}`).toContain(`"ok":false,"code":"${expected}"`);
    }
  }
  expect(contentState()).toEqual(before);
  expect(await withDb((db) => db.selectFrom('desk_log').select('id').execute())).toEqual(logBefore);
});
