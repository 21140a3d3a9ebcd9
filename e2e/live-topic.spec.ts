import { rm } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { topicMdx } from '../lib/testing/content';
import { expect, expectNoReload, markDocument, openUntil, test } from './fixtures';

// Live updates end to end (SPEC §6): real files in the server's CONTENT_DIR, real events over
// /api/live, a real Chromium that never reloads.

type WriteFile = (rel: string, source: string) => Promise<string>;

/** A fresh live topic, opened and connected; the page is marked so a reload would be noticed. */
async function openLiveTopic(page: Page, writeFile: WriteFile, live = true) {
  const slug = `e2e-live-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  await writeFile(`topics/${slug}.mdx`, topicMdx(`Live ${slug}`, live ? 'live: true\n' : ''));
  await openUntil(page, `/topics/${slug}`, async (res) => expect(res?.status()).toBe(200));
  await expect(page.locator('.live-status[data-status="live"]')).toBeAttached();
  await markDocument(page);
  return slug;
}

test('a new update appears on an open topic page without a reload', async ({
  page,
  writeFile,
  writeArticle,
}) => {
  const topic = await openLiveTopic(page, writeFile);
  const update = await writeArticle({
    topics: [topic],
    kind: 'update',
    body: 'The river has dropped below the warning line.',
  });
  const stream = page.locator('.live-stream');
  await expect(stream.getByRole('heading', { name: update.title })).toBeVisible();
  await expect(stream.getByText('The river has dropped below the warning line.')).toBeVisible();
  await expectNoReload(page);
});

test('an edit replaces the item in place and a deletion removes it', async ({
  page,
  writeFile,
  writeArticle,
}) => {
  const topic = await openLiveTopic(page, writeFile);
  const update = await writeArticle({ topics: [topic], kind: 'update', body: 'First version.' });
  const item = page.locator(`#u-${update.slug}`);
  await expect(item.getByText('First version.')).toBeVisible();

  await writeArticle({
    ...update,
    body: 'Corrected version.',
    extra: `updatedAt: "${new Date().toISOString()}"\n`,
  });
  await expect(item.getByText('Corrected version.')).toBeVisible();
  await expect(item.locator('.updated-mark')).toContainText('Updated');
  await expect(page.locator('.live-stream article')).toHaveCount(1);

  await rm(update.file);
  await expect(item).toHaveCount(0);
  await expectNoReload(page);
});

test('while the reader is scrolled down, new items wait behind a banner', async ({
  page,
  writeFile,
  writeArticle,
}) => {
  await page.setViewportSize({ width: 1000, height: 600 });
  const topic = await openLiveTopic(page, writeFile);
  const long = Array.from(
    { length: 6 },
    (_, i) => `Paragraph ${i} of a long update that fills the screen.`,
  ).join('\n\n');
  for (let i = 0; i < 6; i++)
    await writeArticle({
      topics: [topic],
      kind: 'update',
      body: long,
      publishedAt: new Date(Date.now() - (10 - i) * 60_000).toISOString(),
    });
  await expect(page.locator('.live-stream article')).toHaveCount(6);

  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(300);
  const lastItem = page.locator('.live-stream article').last();
  const before = (await lastItem.boundingBox())!.y;

  const fresh = await writeArticle({
    topics: [topic],
    kind: 'update',
    body: 'Breaking: the bridge has reopened.',
  });
  const banner = page.getByRole('status').filter({ hasText: '1 new update' });
  await expect(banner).toBeVisible();
  await expect(page.getByRole('heading', { name: fresh.title })).toHaveCount(0);
  await expect(page).toHaveTitle(/^\(1\) /);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  expect((await lastItem.boundingBox())!.y).toBe(before); // what the reader sees did not move

  await banner.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('heading', { name: fresh.title })).toBeVisible();
  await expect(page.locator(`#u-${fresh.slug}`)).toBeFocused();
  await expect(page).not.toHaveTitle(/^\(\d+\) /);
  await expectNoReload(page);
});

test('a scheduled update appears by itself at its time', async ({ page, writeFile, writeArticle }) => {
  const topic = await openLiveTopic(page, writeFile);
  const at = Date.now() + 4_000;
  const scheduled = await writeArticle({
    topics: [topic],
    kind: 'update',
    publishedAt: new Date(at).toISOString(),
  });
  const heading = page.locator('.live-stream').getByRole('heading', { name: scheduled.title });
  await expect(heading).toHaveCount(0);
  await expect(heading).toBeVisible({ timeout: 15_000 });
  expect(Date.now()).toBeGreaterThanOrEqual(at);
});

test('a broken file does not stop the updates after it', async ({ page, writeFile, writeArticle }) => {
  const topic = await openLiveTopic(page, writeFile);
  await writeFile(
    `articles/e2e/broken-${topic}.mdx`,
    `---\ntitle: Broken\ntopics: [${topic}]\npublishedAt: "2026-01-01T00:00:00Z"\n---\n\n{oops}\n`,
  );
  const good = await writeArticle({ topics: [topic], kind: 'update' });
  await expect(page.locator('.live-stream').getByRole('heading', { name: good.title })).toBeVisible();
  await expect(page.locator('.live-stream').getByRole('heading', { name: 'Broken' })).toHaveCount(0);
});

test('after the server drops the stream the page catches up, nothing missed or doubled', async ({
  page,
  writeFile,
  writeArticle,
}) => {
  // The e2e server ends streams after 4 s (LIVE_STREAM_MAX_AGE_SECONDS); the browser reconnects 2 s later.
  const reconnects: Promise<string | undefined>[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/live')) reconnects.push(r.allHeaders().then((h) => h['last-event-id']));
  });
  const topic = await openLiveTopic(page, writeFile);
  const first = await writeArticle({ topics: [topic], kind: 'update' });
  await expect(page.getByRole('heading', { name: first.title })).toBeVisible();

  // Publish while the browser is between streams: these can only arrive by replay.
  await new Promise<void>((resolve) =>
    page.on('requestfinished', (r) => r.url().includes('/api/live') && resolve()),
  );
  const missed = [
    await writeArticle({ topics: [topic], kind: 'update' }),
    await writeArticle({ topics: [topic], kind: 'update' }),
  ];

  for (const a of [first, ...missed])
    await expect(page.getByRole('heading', { name: a.title })).toHaveCount(1, { timeout: 15_000 });
  await expect(page.locator('.live-stream article')).toHaveCount(3);
  expect(await reconnects.at(-1)).toMatch(/^\d+-\d+$/); // the browser resumed from its last event
  await expectNoReload(page);
});

test('the reader can pause live updates', async ({ page, browser, writeFile, writeArticle }) => {
  const topic = await openLiveTopic(page, writeFile);
  const pause = page.getByRole('button', { name: 'Pause live updates' });
  await pause.click();
  await expect(page.getByRole('button', { name: 'Resume live updates' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  const watcher = await browser.newPage();
  await watcher.goto(`/topics/${topic}`);
  await expect(watcher.locator('.live-status[data-status="live"]')).toBeAttached();
  const update = await writeArticle({ topics: [topic], kind: 'update' });
  await expect(watcher.getByRole('heading', { name: update.title })).toBeVisible(); // it was published…
  await expect(page.getByRole('heading', { name: update.title })).toHaveCount(0); // …but not shown here
  await watcher.close();

  await page.getByRole('button', { name: 'Resume live updates' }).click();
  await expect(page.getByRole('heading', { name: update.title })).toBeVisible();
});

test('a live topic that ends says so and stops listening', async ({ page, writeFile }) => {
  const topic = await openLiveTopic(page, writeFile);
  await writeFile(`topics/${topic}.mdx`, topicMdx(`Live ${topic}`, 'live: false\n'));
  await expect(page.getByText('This live coverage has ended.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause live updates' })).toHaveCount(0);
});

test('an open article updates its body when the file changes', async ({ page, writeArticle }) => {
  const article = await writeArticle({ body: 'The original paragraph.' });
  await openUntil(page, article.url, async (res) => expect(res?.status()).toBe(200));
  await markDocument(page);
  await writeArticle({ ...article, title: `${article.title} (corrected)`, body: 'The corrected paragraph.' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${article.title} (corrected)`);
  await expect(page.locator('.prose').getByText('The corrected paragraph.')).toBeVisible();
  await expectNoReload(page);
});

test('an article changed before its open page’s stream connected is brought up to date', async ({
  page,
  writeArticle,
}) => {
  const article = await writeArticle({ body: 'Before the stream.' });
  // The page's event stream is held back until the change has been served: no event reaches it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/live?**', async (route) => {
    await held;
    await route.continue();
  });
  // The replies answer carries the article's version too: held as well, so nothing but the stream
  // opening can bring the change (otherwise a slow first fetch would, and this test would race).
  await page.route('**/api/articles/*/replies', async (route) => {
    await held;
    await route.continue();
  });
  await openUntil(page, article.url, async (res) => expect(res?.status()).toBe(200));
  await markDocument(page);
  await writeArticle({ ...article, title: `${article.title} (late)`, body: 'After the stream.' });
  await expect.poll(async () => (await page.request.get(article.url)).text()).toContain('After the stream.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(article.title);
  release();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${article.title} (late)`);
  await expect(page.locator('.prose').getByText('After the stream.')).toBeVisible();
  await expectNoReload(page);
});

test('an edit without a new updatedAt is still marked as updated', async ({
  page,
  writeFile,
  writeArticle,
}) => {
  const topic = await openLiveTopic(page, writeFile);
  const update = await writeArticle({ topics: [topic], kind: 'update', body: 'Ten roads are closed.' });
  const item = page.locator(`#u-${update.slug}`);
  await expect(item.getByText('Ten roads are closed.')).toBeVisible();
  await expect(item.locator('.updated-mark')).toHaveCount(0);
  await writeArticle({ ...update, body: 'Twelve roads are closed.' });
  await expect(item.getByText('Twelve roads are closed.')).toBeVisible();
  await expect(item.locator('.updated-mark')).toHaveText('Updated');
});

test.describe('behind a proxy that blocks server-sent events', () => {
  // The browser logs each blocked stream request: expected here, and only here.
  test.use({ expectedConsoleErrors: [/net::ERR_FAILED \(.*\/api\/live\?/] });

  test('the page falls back to polling', async ({ page, writeFile, writeArticle }) => {
    await page.route('**/api/live?**', (route) => route.abort());
    const slug = `e2e-poll-${Date.now().toString(36)}`;
    await writeFile(`topics/${slug}.mdx`, topicMdx(`Polling ${slug}`, 'live: true\n'));
    await openUntil(page, `/topics/${slug}`, async (res) => expect(res?.status()).toBe(200));
    await expect(page.locator('.live-status[data-status="polling"]')).toBeAttached({ timeout: 20_000 });
    const update = await writeArticle({ topics: [slug], kind: 'update' });
    await expect(page.locator('.live-stream').getByRole('heading', { name: update.title })).toBeVisible({
      timeout: 15_000,
    });
  });
});

test('the event stream refuses junk subscriptions and sends the right headers', async ({ request }) => {
  for (const query of ['', '?topics=', '?topics=Not%20A%20Slug', '?article=../../etc']) {
    const res = await request.get(`/api/live${query}`);
    expect(res.status(), query).toBe(400);
    expect((await res.json()).code).toBe('invalid');
  }
  expect((await request.post('/api/live?topics=science')).status()).toBe(405);
  const res = await request.head('/api/live?topics=science');
  expect(res.status()).toBe(200);
  expect(res.headers()).toMatchObject({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
  expect(res.headers()['content-encoding']).toBeUndefined(); // never compressed, so never held back
  // An EventSource's request (Accept: text/event-stream) gets the security headers from the route
  // itself, not next.config.ts (see there): still all of them.
  for (const accept of ['text/event-stream', '*/*']) {
    const headers = (await request.head('/api/live?topics=science', { headers: { accept } })).headers();
    expect(headers['content-security-policy'], accept).toContain("default-src 'self'");
    expect(headers['content-security-policy'], accept).toContain("frame-ancestors 'none'");
    expect(headers, accept).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(headers['permissions-policy'], accept).toBeTruthy();
  }
});
