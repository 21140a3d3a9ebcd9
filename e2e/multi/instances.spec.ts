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

test('an update written on instance A reaches a browser on instance B, once though A and C both watch its folder', async ({
  page,
}) => {
  await listen(page, 'b');
  const article = await publishOn('a', `Cross-instance ${Date.now()}`);
  await expect.poll(() => heard(page)).toContain(article.slug);
  await new Promise((r) => setTimeout(r, 2_000)); // C's watcher has seen the file too by now
  expect((await heard(page)).filter((slug) => slug === article.slug)).toHaveLength(1);
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
