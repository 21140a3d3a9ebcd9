import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from '@playwright/test';
import { topicMdx } from '../lib/testing/content';
import { insertEditor, insertReader, signInAs } from './accounts';
import { E2E_CONTENT_DIR } from './env';
import { expect, expectNoReload, markDocument, test as base } from './fixtures';

// The desk on a topic page, on a phone (SPEC §9): editors post, edit, pin and delete updates from
// the live stream, and readers watching the same topic see each change arrive without a reload;
// two editors saving the same update meet a conflict that loses nothing; readers get none of it,
// not even its code. Each test has a live topic of its own (as live-topic.spec.ts does), so its
// items, pins and key events touch nothing else.

const test = base.extend<{ liveTopic: { slug: string; url: string } }>({
  /**
   * A fresh live topic. Afterwards every file that names it (what the desk wrote, and the desk's
   * trash) is removed before the topic itself, so no article is left pointing at a missing topic.
   */
  liveTopic: async ({ writeFile, request }, provide) => {
    const slug = `e2e-desk-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
    await writeFile(`topics/${slug}.mdx`, topicMdx(`Desk ${slug}`, 'live: true\n'));
    await expect.poll(async () => (await request.get(`/topics/${slug}`)).status()).toBe(200);
    await provide({ slug, url: `/topics/${slug}` });
    const pages: string[] = [];
    for (const rel of await filesNaming(slug)) {
      await rm(path.join(E2E_CONTENT_DIR, rel), { force: true });
      if (rel.startsWith('articles/')) pages.push(`/articles/${path.basename(rel, '.mdx')}`);
    }
    for (const url of pages)
      await expect.poll(async () => (await request.get(url, { maxRedirects: 0 })).status()).toBe(404);
  },
});

test.use({ viewport: { width: 390, height: 844 } });

/** Content files (articles and the desk's trash) whose text names `topic`, relative to CONTENT_DIR. */
async function filesNaming(topic: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of ['articles', '.trash']) {
    const files = await readdir(path.join(E2E_CONTENT_DIR, dir), { recursive: true }).catch(() => []);
    for (const file of files.filter((f) => f.endsWith('.mdx'))) {
      const rel = `${dir}/${file.split(path.sep).join('/')}`;
      const text = await readFile(path.join(E2E_CONTENT_DIR, rel), 'utf8').catch(() => '');
      if (new RegExp(`^\\s*(?:- |topics: \\[.*)${topic}\\b`, 'm').test(text)) found.push(rel);
    }
  }
  return found;
}

let n = 0;
const unique = (text: string) => `${text} ${Date.now().toString(36)}${++n}`;

/** Another browser, with its own cookies: signed in as `email` (or not at all), on `url`. */
async function otherBrowser(
  browser: Browser,
  email: string | null,
  url: string,
  before?: (page: Page) => void,
) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  before?.(page);
  if (email) await signInAs(page, email, url);
  else await page.goto(url);
  return { page, close: () => context.close() };
}

/** Waits until the page's stream is connected, then marks it, so a reload would be noticed. */
async function watching(page: Page) {
  await expect(page.locator('.live-status[data-status="live"]')).toBeAttached();
  await markDocument(page);
}

const updateField = (scope: Page | Locator) => scope.getByRole('textbox', { name: 'Update', exact: true });
const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });

test('an editor posts a key event; a reader sees it arrive, be edited, pinned and deleted, without a reload', async ({
  page,
  browser,
  liveTopic,
}) => {
  const editor = await insertEditor('Edith Desk');
  const reader = await insertReader('Rita Reads');
  const other = await otherBrowser(browser, reader.email, liveTopic.url);
  await watching(other.page);

  await signInAs(page, editor.email, liveTopic.url);
  await expect(page.getByRole('heading', { name: 'Post a live update' })).toBeVisible();
  const text = unique('Water is receding at the quay');
  await updateField(page).fill(text);
  await page.getByRole('checkbox', { name: 'Key event' }).check();
  await button(page, 'Publish').click();
  await expect(page.getByRole('status').filter({ hasText: 'Published.' })).toBeVisible();
  await expect(updateField(page)).toHaveValue('');
  await expect(page.getByRole('checkbox', { name: 'Key event' })).not.toBeChecked();

  // In the editor's stream at once; the headline comes from the first line.
  const posted = page.locator('.live-stream article').filter({ hasText: text });
  await expect(posted.getByRole('heading', { name: text })).toBeVisible();
  const slug = (await posted.getAttribute('id'))!.replace(/^u-/, '');
  const mine = page.locator(`#u-${slug}`);
  const theirs = other.page.locator(`#u-${slug}`);

  // The file is the truth: an update of this topic by the editor's byline, marked a key event.
  const [file] = (await filesNaming(liveTopic.slug)).filter((f) => f.endsWith(`/${slug}.mdx`));
  const source = await readFile(path.join(E2E_CONTENT_DIR, file!), 'utf8');
  expect(source).toMatch(/^kind: update$/m);
  expect(source).toMatch(/^ {2}- maya-okafor$/m);
  expect(source).toMatch(/^keyEvent: true$/m);

  // (a) The reader sees it arrive.
  await expect(theirs.getByRole('heading', { name: text })).toBeVisible();
  await expect(theirs.getByRole('list', { name: 'Labels' })).toContainText('Key event');

  // (b) Edited in place: the reader sees the new text, "Updated" and the correction.
  await button(mine, 'Edit').click();
  await expect(updateField(mine)).toHaveValue(new RegExp(`^${text}\\s*$`));
  await expect(mine.getByRole('textbox', { name: 'Headline' })).toHaveValue(text);
  const edited = unique('The water has left the quay');
  await updateField(mine).fill(edited);
  // No headline: the new first line becomes it.
  await mine.getByRole('textbox', { name: 'Headline' }).fill('');
  await mine.getByRole('textbox', { name: 'Correction note' }).fill('An earlier version said it was rising.');
  await button(mine, 'Save').click();
  await expect(mine.getByRole('status')).toHaveText('Saved.');
  await expect(updateField(mine)).toHaveCount(0);
  await expect(mine.getByRole('heading', { name: edited })).toBeVisible();
  await expect(theirs.getByRole('heading', { name: edited })).toBeVisible();
  await expect(theirs).not.toContainText(text);
  await expect(theirs.locator('.updated-mark')).toContainText('Updated');
  await expect(theirs.locator('.correction')).toHaveText(
    'Correction: An earlier version said it was rising.',
  );

  // Pinned: the reader sees the label.
  await button(mine, 'Pin').click();
  await expect(button(mine, 'Unpin')).toBeVisible();
  await expect(theirs.getByRole('list', { name: 'Labels' })).toContainText('Pinned');

  // No longer a key event.
  await button(mine, 'Unmark key event').click();
  await expect(button(mine, 'Mark key event')).toBeVisible();
  await expect(theirs.getByRole('list', { name: 'Labels' })).not.toContainText('Key event');

  // Deleted, after an inline confirmation: gone from both screens.
  await button(mine, 'Delete').click();
  await expect(mine.getByText('Delete this update?')).toBeVisible();
  await button(mine, 'Delete').click();
  await expect(mine).toHaveCount(0);
  await expect(theirs).toHaveCount(0);

  await expectNoReload(other.page);
  await other.close();
});

test('two editors save the same update: the second gets a conflict and keeps the text', async ({
  page,
  browser,
  liveTopic,
  writeArticle,
}) => {
  const update = await writeArticle({ topics: [liveTopic.slug], kind: 'update', body: 'The first version.' });
  const [ada, bob] = [await insertEditor('Ada Desk'), await insertEditor('Bob Desk', null)];
  await signInAs(page, ada.email, liveTopic.url);
  const other = await otherBrowser(browser, bob.email, liveTopic.url);
  const adas = page.locator(`#u-${update.slug}`);
  const bobs = other.page.locator(`#u-${update.slug}`);

  await button(adas, 'Edit').click();
  await button(bobs, 'Edit').click();
  await expect(updateField(adas)).toHaveValue(/The first version\./);
  await expect(updateField(bobs)).toHaveValue(/The first version\./);

  await updateField(adas).fill('Ada’s version.');
  await button(adas, 'Save').click();
  await expect(adas.getByRole('status')).toHaveText('Saved.');

  const typed = 'Bob’s version, typed meanwhile.';
  await updateField(bobs).fill(typed);
  await button(bobs, 'Save').click();
  await expect(bobs.getByRole('status')).toContainText('Conflict');
  await expect(updateField(bobs)).toHaveValue(typed);
  await expect(bobs.getByRole('textbox', { name: 'Their version' })).toHaveValue(/Ada’s version\./);

  // Having seen theirs, a second Save is a deliberate overwrite, and it goes through.
  await button(bobs, 'Save').click();
  await expect(bobs.getByRole('status')).toHaveText('Saved.');
  await expect(adas).toContainText(typed);
  await other.close();
});

/** Words only the desk's code contains: a script with one of them in it is the desk's. */
const DESK_WORDS = ['Save draft', 'Unmark key event', 'Use their version'];

type Scripts = { requested: string[]; desk: string[] };

/**
 * The scripts `page` asks for from now on (when asked, so one still on its way counts), and which
 * of those that arrived are the desk's.
 */
function recordScripts(page: Page): () => Promise<Scripts> {
  const requested: string[] = [];
  const checked: Promise<string | null>[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') requested.push(request.url());
  });
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    checked.push(
      response.text().then(
        (text) => (DESK_WORDS.some((w) => text.includes(w)) ? response.url() : null),
        () => null,
      ),
    );
  });
  return async () => ({ requested, desk: (await Promise.all(checked)).filter((u) => u !== null) });
}

test('a reader gets no composer, no controls and none of their code', async ({
  page,
  browser,
  liveTopic,
  writeArticle,
}) => {
  const update = await writeArticle({ topics: [liveTopic.slug], kind: 'update', body: 'For every reader.' });

  // What an editor's browser loads for the desk.
  let editorScripts = async (): Promise<Scripts> => ({ requested: [], desk: [] });
  const editor = await otherBrowser(browser, (await insertEditor('Eddie Desk')).email, liveTopic.url, (p) => {
    editorScripts = recordScripts(p);
  });
  await expect(updateField(editor.page)).toBeVisible();
  await expect(button(editor.page.locator(`#u-${update.slug}`), 'Edit')).toBeVisible();
  const deskChunks = (await editorScripts()).desk;
  expect(deskChunks.length, 'the editor loaded the desk’s code').toBeGreaterThan(0);
  // The page's HTML is the same for everyone: nothing of the desk in it, even for an editor.
  const html = await (await editor.page.request.get(liveTopic.url)).text();
  expect(html).toContain('For every reader.');
  for (const word of [...DESK_WORDS, 'Post a live update']) expect(html).not.toContain(word);
  await editor.close();

  const readerScripts = recordScripts(page);
  await signInAs(page, (await insertReader('Rhea Reader')).email, liveTopic.url);
  await watching(page);
  await expect(page.locator(`#u-${update.slug}`)).toContainText('For every reader.');
  // Signed in, so the session is known and the page has decided; let anything it asked for arrive.
  await page.waitForLoadState('networkidle');
  await expect(updateField(page)).toHaveCount(0);
  for (const name of ['Edit', 'Delete', 'Pin', 'Unpin', 'Publish', 'Preview', 'Save draft'])
    await expect(button(page, name)).toHaveCount(0);
  const loaded = await readerScripts();
  expect(loaded.requested.length).toBeGreaterThan(0);
  expect(loaded.requested.filter((url) => deskChunks.includes(url))).toEqual([]);
  expect(loaded.desk).toEqual([]);
});

test('Preview shows the text as the stream will; the toolbar writes the markup; all of it fits a phone', async ({
  page,
  liveTopic,
  writeArticle,
}) => {
  const update = await writeArticle({ topics: [liveTopic.slug], kind: 'update', body: 'Already published.' });
  await signInAs(page, (await insertEditor('Pia Preview')).email, liveTopic.url);
  const field = updateField(page);
  await field.fill('Kingsway bridge reopened');
  await field.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 15));
  await button(page, 'Bold').click();
  await expect(field).toHaveValue('**Kingsway bridge** reopened');
  await field.fill(`${await field.inputValue()}\n\nOne lane each way.`);
  await page.getByRole('textbox', { name: 'Headline' }).first().fill('Bridge reopens');

  await button(page, 'Preview').click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('.prose strong')).toHaveText('Kingsway bridge');
  await expect(preview.getByRole('heading', { name: 'Bridge reopens' })).toBeVisible();
  await expect(preview.locator('.prose p')).toHaveCount(2);
  // Nothing was published.
  await expect(page.locator('.live-stream article')).toHaveCount(1);

  // What the content check refuses is said, and the text stays.
  await field.fill('<Script />');
  await button(page, 'Preview').click();
  await expect(page.getByRole('status').filter({ hasText: 'Line 1' })).toContainText('Script');
  await expect(field).toHaveValue('<Script />');

  // The composer and an open edit form on a 390 px phone: no sideways scroll, 44 px targets, axe.
  await button(page.locator(`#u-${update.slug}`), 'Edit').click();
  await expect(updateField(page.locator(`#u-${update.slug}`))).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const small = await page
    .locator('.live-stream')
    .locator('button, input:not([type="checkbox"]), textarea, .editor-checks label')
    .evaluateAll((els) =>
      els
        .filter((el) => el.getBoundingClientRect().height < 44)
        .map((el) => `${el.tagName} ${el.textContent?.trim() || el.getAttribute('name')}`),
    );
  expect(small, 'tap targets under 44 px').toEqual([]);
  const { violations } = await new AxeBuilder({ page }).include('.live-stream').analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((x) => x.target.join(' ')).join(', ')}`)).toEqual([]);
});
