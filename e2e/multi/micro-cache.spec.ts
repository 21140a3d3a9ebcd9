import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { buildArticleMdx } from '../../lib/testing/content';
import { SHARED_CONTENT_DIR } from '../../playwright.multi.config';
import { NGINX_URL } from './services';

// Issue 15 item 4: nginx's micro-cache in front of instances a and b (deploy/nginx/dispatch.conf and
// cache.conf, as they are): anonymous readers' pages kept a few seconds, a change still shows within
// them, and never a cached page for a signed-in reader, the client router or a private answer.

// nginx fronts a (the shared folder) and b (its own): an article must be in both to be everywhere.
const FOLDERS = [SHARED_CONTENT_DIR, '.tmp/multi-b-content'].map((dir) =>
  path.resolve(dir, 'articles/micro'),
);

async function publish(slug: string, title: string, body: string) {
  const article = buildArticleMdx({ slug, title, body, topics: ['northport-flood-updates'], kind: 'update' });
  for (const folder of FOLDERS) {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, `${slug}.mdx`), article.source);
  }
  return article;
}

async function get(request: APIRequestContext, url: string, headers: Record<string, string> = {}) {
  const res = await request.get(`${NGINX_URL}${url}`, { headers, failOnStatusCode: false });
  return { status: res.status(), cache: res.headers()['x-cache-status'], text: await res.text() };
}

/** Waits until both instances serve the article (their watchers have the file). */
async function servedEverywhere(request: APIRequestContext, url: string, text: string) {
  for (const port of [3231, 3232])
    await expect
      .poll(async () => (await request.get(`http://127.0.0.1:${port}${url}`)).text(), { timeout: 15_000 })
      .toContain(text);
}

test('an anonymous page is cached a few seconds, shared, and a change shows within them', async ({
  request,
}) => {
  test.setTimeout(60_000);
  const slug = `micro-cache-${Date.now()}`;
  const url = `/articles/${slug}`;
  await publish(slug, 'Micro-cache first version', 'The first version of the story.');
  await servedEverywhere(request, url, 'first version of the story');

  const first = await get(request, url);
  expect([first.status, first.cache]).toEqual([200, 'MISS']);
  const second = await get(request, url);
  expect([second.status, second.cache]).toEqual([200, 'HIT']);
  expect(second.text).toBe(first.text);

  await publish(slug, 'Micro-cache second version', 'The second version of the story.');
  await servedEverywhere(request, url, 'second version of the story');
  const changedAt = Date.now();
  // At most the cache's 5 s, plus one request that gets the old copy while nginx refreshes it.
  await expect
    .poll(async () => (await get(request, url)).text, { timeout: 10_000, intervals: [250] })
    .toContain('second version of the story');
  expect(Date.now() - changedAt).toBeLessThan(7_000);
});

test('never cached: signed-in readers, the client router, private answers', async ({ request }) => {
  const url = '/topics/northport-flood-updates';
  await get(request, url);
  expect((await get(request, url)).cache).toMatch(/HIT|UPDATING|STALE/);

  // Any session cookie (valid or not) goes to an instance, never to the anonymous copy.
  for (const cookie of [
    'next-auth.session-token=abc',
    '__Secure-next-auth.session-token=abc',
    'a=b; next-auth.session-token=x',
  ])
    expect((await get(request, url, { cookie })).cache, cookie).toBe('BYPASS');
  expect((await get(request, url, { rsc: '1' })).cache).toBe('BYPASS');
  expect((await get(request, url, { 'next-router-prefetch': '1' })).cache).toBe('BYPASS');

  // The topic's stream of updates says max-age=0 (the page refetches it on each live event): never kept.
  const stream = `/api/topics/northport-flood-updates/stream`;
  await get(request, stream);
  const again = await get(request, stream);
  expect(again.status).toBe(200);
  expect(again.cache).toBe('MISS');
  // A private answer is never kept either.
  await get(request, '/api/health');
  expect((await get(request, '/api/health')).cache).toBe('MISS');
});
