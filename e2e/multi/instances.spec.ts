import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildArticleMdx } from '../../lib/testing/content';
import { INSTANCES, SHARED_CONTENT_DIR } from '../../playwright.multi.config';

const base = (name: keyof typeof INSTANCES) => `http://127.0.0.1:${INSTANCES[name].port}`;
const contentDir = (name: keyof typeof INSTANCES) =>
  path.resolve(name === 'b' ? `.tmp/multi-${name}-content` : SHARED_CONTENT_DIR);

/** Writes an update into one instance's own content folder only. */
async function publishOn(name: keyof typeof INSTANCES, title: string) {
  const article = buildArticleMdx({ title, topics: ['northport-flood-updates'], kind: 'update' });
  await mkdir(path.join(contentDir(name), 'articles/multi'), { recursive: true });
  await writeFile(path.join(contentDir(name), 'articles/multi', `${article.slug}.mdx`), article.source);
  return article;
}

/** Opens the live stream in the page (a real EventSource) and collects the article slugs it hears about. */
async function listen(page: Page, name: keyof typeof INSTANCES) {
  await page.goto(`${base(name)}/topics/northport-flood-updates`);
  await page.evaluate(
    (url) =>
      new Promise<void>((resolve) => {
        const heard: string[] = ((window as unknown as { heard: string[] }).heard = []);
        const source = new EventSource(url);
        source.onopen = () => resolve();
        source.onmessage = (m) => heard.push(JSON.parse(m.data).article);
      }),
    `${base(name)}/api/live?topics=northport-flood-updates`,
  );
}
const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: string[] }).heard);

function redis(...args: string[]) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', ...args], { encoding: 'utf8' }).trim();
}
/** Starts Redis again exactly as the machine starts it (TOOLCHAIN.md), leaving it as it was. */
function startRedis() {
  mkdirSync('/var/lib/redis', { recursive: true });
  mkdirSync('/var/log/redis', { recursive: true });
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    '/var/lib/redis',
    '--logfile',
    '/var/log/redis/ci.log',
  ]);
}

test('an update written on instance A reaches a browser on instance B', async ({ page }) => {
  await listen(page, 'b');
  const article = await publishOn('a', `Cross-instance ${Date.now()}`);
  await expect.poll(() => heard(page)).toContain(article.slug);
});

test('an account made on instance A signs in on instance B (one database)', async ({ page }) => {
  const email = `multi-${Date.now()}@example.org`;
  await page.goto(`${base('a')}/signup`);
  await page.getByLabel('Name').fill('Multi Reader');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.goto(`${base('b')}/signin`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: 'Multi Reader' })).toBeVisible();
});

test('signing out on instance B ends the session a copied cookie holds on instance A', async ({
  page,
  browser,
}) => {
  await signUpOn(page, 'a', 'Signed Out Everywhere');
  const copy = await browser.newContext();
  await copy.addCookies(await page.context().cookies());
  const elsewhere = await copy.newPage();
  await elsewhere.goto(`${base('a')}/account`);
  await expect(elsewhere.getByRole('heading', { name: 'Your account' })).toBeVisible();

  await page.goto(`${base('b')}/`);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await elsewhere.goto(`${base('a')}/account`);
  await expect(elsewhere).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);
  await copy.close();
});

const ARTICLE = '/articles/amber-warning-river-auden-rising';

/** A new account, signed in on `name`'s instance (one database behind both). */
async function signUpOn(page: Page, name: keyof typeof INSTANCES, who: string) {
  await page.goto(`${base(name)}/signup`);
  await page.getByLabel('Name').fill(who);
  await page.getByLabel('Email').fill(`${who.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.org`);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

async function postReplyOn(page: Page, name: keyof typeof INSTANCES, text: string) {
  await page.goto(`${base(name)}${ARTICLE}`);
  await page.getByRole('textbox', { name: 'Reply', exact: true }).fill(text);
  await page.getByRole('button', { name: 'Post reply' }).click();
  await expect(page.locator('section.replies article').filter({ hasText: text })).toBeVisible();
}

test('a reply posted through instance B appears live on a page open on instance A', async ({
  page,
  browser,
}) => {
  const reader = await browser.newContext();
  const open = await reader.newPage();
  await open.goto(`${base('a')}${ARTICLE}`);
  await expect(open.getByRole('heading', { name: /^\d+ Repl(y|ies)$/ })).toBeVisible();
  await signUpOn(page, 'b', 'Cross Replier');
  const text = `From instance B ${Date.now()}`;
  await postReplyOn(page, 'b', text);
  await expect(open.locator('section.replies article').filter({ hasText: text })).toBeVisible();
  await reader.close();
});

test('without Redis both instances keep serving and local events; fan-out resumes when it returns', async ({
  page,
  browser,
}) => {
  const other = await browser.newPage();
  await listen(page, 'b');
  await listen(other, 'a');
  redis('shutdown', 'nosave');
  try {
    for (const name of ['a', 'b'] as const) {
      expect((await page.request.get(`${base(name)}/topics/northport-flood-updates`)).status()).toBe(200);
    }
    const local = await publishOn('a', `During the outage ${Date.now()}`);
    await expect.poll(() => heard(other)).toContain(local.slug); // instance A's own browsers still hear it
    // Replies still post: they go to the database, not through Redis.
    const writer = await browser.newPage();
    await signUpOn(writer, 'a', 'Outage Replier');
    await postReplyOn(writer, 'a', `Posted while Redis is down ${Date.now()}`);
    await writer.close();
  } finally {
    startRedis();
  }
  await expect.poll(() => redis('ping')).toBe('PONG');
  // Fan-out resumes by itself: keep publishing on A until B hears one (events A published while
  // its connection was still coming back stay local, as designed).
  const sent: string[] = [];
  await expect
    .poll(
      async () => {
        sent.push((await publishOn('a', `After the outage ${Date.now()}`)).slug);
        return (await heard(page)).some((slug) => sent.includes(slug));
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(true);
  await other.close();
});
