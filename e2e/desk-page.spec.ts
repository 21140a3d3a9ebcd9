import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { slugFrom } from '../lib/desk/source';
import { buildArticleMdx } from '../lib/testing/content';
import { insertReader, signInAs } from './accounts';
import { E2E_CONTENT_DIR } from './env';
import { expect, openUntil, test } from './fixtures';

// /desk on a phone (SPEC §9): an editor finds the content, writes a new article, restores a
// trashed file and ends and reopens a topic's live coverage; readers and signed-out visitors
// never see the desk. Files the desk writes are registered with the content fixture, which
// removes them after each test.

test.use({ viewport: { width: 390, height: 844 } });

let editor = '';
let reader = '';
test.beforeAll(async () => {
  editor = (await insertReader('Edna Desk', 'editor')).email;
  reader = (await insertReader('Rex Reader')).email;
});

let n = 0;
const unique = (tag: string) => `${tag} ${Date.now().toString(36)} ${++n}`;

/** Where the desk filed `slug` (articles/<yyyy>/<mm>/<slug>.mdx), relative to CONTENT_DIR. */
async function fileOf(slug: string): Promise<string> {
  const files = await readdir(path.join(E2E_CONTENT_DIR, 'articles'), { recursive: true });
  const found = files.find((f) => path.basename(f) === `${slug}.mdx`);
  if (!found) throw new Error(`no file for ${slug}`);
  return `articles/${found.split(path.sep).join('/')}`;
}

/** No horizontal scroll, and every control in the page's main part is at least 44 px tall. */
async function expectPhoneFriendly(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const small = await page
    .locator('main')
    .locator('button, select, input:not([type="checkbox"]), .button, .check')
    .evaluateAll((els) =>
      els
        .filter((el) => el.getBoundingClientRect().height < 44)
        .map((el) => `${el.tagName} "${el.textContent?.trim() || el.getAttribute('name')}"`),
    );
  expect(small, 'tap targets under 44 px').toEqual([]);
}

test('an editor opens the desk from the menu and writes a new article', async ({ page, contentFiles }) => {
  await signInAs(page, editor, '/');
  await page.getByRole('link', { name: 'Desk', exact: true }).click();
  await expect(page).toHaveURL('/desk');
  await expect(page.getByRole('heading', { level: 1, name: 'Desk' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Consultation opens on Harbour Line tram extension to Ferrywick' }),
  ).toHaveAttribute('href', '/articles/harbour-line-extension-consultation');
  await expectPhoneFriendly(page);

  await page.getByRole('link', { name: 'New article' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New article' })).toBeVisible();
  const title = unique('Desk article');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Body').fill('A first paragraph with **bold** news.\n\nA second one.');

  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('region', { name: 'Preview' }).locator('.prose strong')).toHaveText('bold');

  // The server names the field it refuses, and nothing typed is lost.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toContainText(
    'Topics: Choose at least one topic.',
  );
  await expect(page.getByLabel('Title')).toHaveValue(title);

  const slug = slugFrom(title);
  await page.getByRole('checkbox', { name: 'Transport', exact: true }).check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(`/desk/edit/${slug}?saved=1`);
  contentFiles.set(await fileOf(slug), null);
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue(title);
  await expect(page.getByRole('checkbox', { name: 'Transport', exact: true })).toBeChecked();
  await expectPhoneFriendly(page);

  await page.goto('/desk');
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
  await expect(item.getByRole('link', { name: title })).toHaveAttribute('href', `/articles/${slug}`);
  await expect(item).toContainText('Published');
  await expect(item.getByRole('link', { name: 'Edit', exact: true })).toHaveAttribute(
    'href',
    `/desk/edit/${slug}`,
  );
  await expect(item.getByRole('link', { name: 'History', exact: true })).toHaveAttribute(
    'href',
    `/desk/history/${slug}`,
  );
  await expect(page.getByRole('region', { name: 'Recent desk activity' })).toContainText(`${slug}.mdx`);
  expect((await page.request.get(`/articles/${slug}`)).status()).toBe(200);

  await item.getByRole('link', { name: 'History', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Desk log' })).toContainText('Edna Desk');
});

test('a photo uploaded in the article form fills the image and requires alt text', async ({ page }) => {
  const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer();
  await signInAs(page, editor, '/desk/new');
  await expect(page.getByLabel('Alt text')).not.toHaveAttribute('required');
  await page
    .getByLabel('Photo')
    .setInputFiles({ name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByLabel('Image', { exact: true })).toHaveValue(/^\/media\/.+\.webp$/);
  await expect(page.getByRole('status')).toContainText('Photo uploaded');
  await expect(page.getByLabel('Alt text')).toHaveAttribute('required');
});

test('a save after someone else changed the file is a conflict that keeps the text', async ({
  page,
  writeArticle,
}) => {
  const article = await writeArticle({ body: 'The first version.' });
  await signInAs(page, editor, '/desk');
  await openUntil(page, `/desk/edit/${article.slug}`, async () => {
    await expect(page.getByLabel('Body')).toHaveValue('The first version.\n', { timeout: 1000 });
  });
  await page.getByLabel('Body').fill('My version.');
  // Someone else saves the file meanwhile (by hand, or from another desk).
  await writeArticle({ slug: article.slug, title: article.title, body: 'Their version.' });

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Conflict' })).toContainText(
    'changed by someone else',
  );
  await expect(page.getByLabel('Body')).toHaveValue('My version.');
  const theirs = page.getByRole('region', { name: 'Their version' });
  await expect(theirs.getByLabel('Their text')).toHaveValue('Their version.\n');
  await theirs.getByRole('button', { name: 'Use their version' }).click();
  await expect(page.getByLabel('Body')).toHaveValue('Their version.\n');
  await page.getByLabel('Body').fill('Their version, with mine.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect.poll(() => readFile(article.file, 'utf8')).toContain('Their version, with mine.');
});

test('a file in the trash comes back with Restore', async ({ page, writeFile, contentFiles }) => {
  const article = buildArticleMdx({ topics: ['transport'], folder: 'articles/e2e' });
  const rel = `articles/e2e/${article.slug}.mdx`;
  // As a deleted file is kept: under .trash/, at the path it had.
  await writeFile(`.trash/${rel}`, article.source);
  contentFiles.set(rel, null);
  expect((await page.request.get(`/articles/${article.slug}`)).status()).toBe(404);

  await signInAs(page, editor, '/desk');
  const trash = page.getByRole('region', { name: 'Trash' });
  const item = trash.getByRole('listitem').filter({ hasText: `.trash/${rel}` });
  await expect(item).toContainText(rel);
  await item.getByRole('button', { name: 'Restore' }).click();
  await expect(trash.getByRole('status')).toHaveText(`Restored ${rel}.`);
  await expect(item).toHaveCount(0);
  expect((await page.request.get(`/articles/${article.slug}`)).status()).toBe(200);
});

test('an editor starts a topic, ends its live coverage and reopens it', async ({ page, contentFiles }) => {
  const title = unique('Desk live');
  const slug = slugFrom(title, 60);
  contentFiles.set(`topics/${slug}.mdx`, null);

  await signInAs(page, editor, '/desk');
  const topics = page.getByRole('region', { name: 'Topics' });
  const form = topics.getByRole('form', { name: 'New topic' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill('Everything the desk test covers.');
  await form.getByRole('checkbox', { name: 'Live coverage' }).check();
  await form.getByRole('button', { name: 'Create topic' }).click();
  await expect(form.getByRole('status')).toContainText(`/topics/${slug}`);

  const item = topics.getByRole('listitem').filter({ hasText: title });
  await item.getByRole('button', { name: 'End live coverage' }).click();
  const status = topics.getByRole('status').filter({ hasText: 'live coverage' });
  await expect(status).toHaveText(`${title}: live coverage ended.`);
  await item.getByRole('button', { name: 'Reopen live coverage' }).click();
  await expect(status).toHaveText(`${title}: live coverage reopened.`);
  await expect(item.getByRole('button', { name: 'End live coverage' })).toBeVisible();
  expect((await page.request.get(`/topics/${slug}`)).status()).toBe(200);
});

test('readers get a 404 and signed-out visitors are sent to sign in', async ({ page }) => {
  for (const url of ['/desk', '/desk/new', '/desk/edit/harbour-line-extension-consultation']) {
    await page.goto(url);
    await expect(page).toHaveURL(`/signin?callbackUrl=${encodeURIComponent(url)}`);
  }
  await signInAs(page, reader, '/');
  await expect(page.getByRole('link', { name: 'Desk', exact: true })).toHaveCount(0);
  for (const url of ['/desk', '/desk/new', '/desk/history/harbour-line-extension-consultation']) {
    expect((await page.goto(url))?.status(), url).toBe(404);
  }
});

for (const scheme of ['light', 'dark'] as const) {
  test(`/desk and the article form pass axe (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await signInAs(page, editor, '/desk');
    for (const url of ['/desk', '/desk/edit/harbour-line-extension-consultation']) {
      await page.goto(url);
      if (url !== '/desk') {
        // The preview of an article with a wide table scrolls inside itself, not the page.
        await page.getByRole('button', { name: 'Preview' }).click();
        await expect(page.getByRole('region', { name: 'Preview' }).locator('table')).toBeVisible();
      }
      await expectPhoneFriendly(page);
      const { violations, passes } = await new AxeBuilder({ page }).analyze();
      expect(passes.map((p) => p.id)).toContain('color-contrast');
      const serious = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      expect(serious, url).toEqual([]);
    }
  });
}
