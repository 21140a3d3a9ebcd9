import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test } from '@playwright/test';
import { insertReader, sessionToken } from './accounts';
import { E2E_BASE_URL, E2E_CONTENT_DIR } from './env';

// Issue 13, checked in Chromium at a phone's size: an editor posts an update with a key event and
// a photo from the camera roll; the photo's EXIF GPS position does not survive; with CONTENT_DIR a
// git repository, each desk action is one commit by the editor.

test.use({ viewport: { width: 390, height: 844 } });

/** The file this test publishes (pinned, in the shared live topic): removed afterwards, so the
 * topic reads as the other specs expect it. */
let published: string | null = null;
test.afterEach(() => {
  if (!published) return;
  for (const at of [published, `.trash/${published}`])
    rmSync(path.join(E2E_CONTENT_DIR, at), { force: true });
  published = null;
});

const TOPIC = 'northport-flood-updates';
const git = (...args: string[]) =>
  execFileSync('git', ['-C', E2E_CONTENT_DIR, ...args], { encoding: 'utf8' });
const commitsOf = (file: string) =>
  git('log', '--format=%an|%s', '--', file).trim().split('\n').filter(Boolean);

/** A phone photo: EXIF with the camera and a GPS position (a reporter's whereabouts). */
const phonePhoto = () =>
  sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#4a6a8a' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Phone 9' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '34/1 31/1 4428/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '69/1 10/1 1788/100',
      },
    })
    .toBuffer();

async function signedIn(
  browser: import('@playwright/test').Browser,
  name: string,
  role: 'editor' | 'reader',
) {
  const account = await insertReader(name, role);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addCookies([
    {
      name: 'next-auth.session-token',
      value: await sessionToken(account.email),
      url: E2E_BASE_URL,
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
  return context;
}

test("an editor posts a key event with a photo from the phone; readers see it live, without the photo's GPS; each action is a commit", async ({
  browser,
}) => {
  // CONTENT_DIR as a git repository, as a newsroom that wants history keeps it.
  if (!existsSync(path.join(E2E_CONTENT_DIR, '.git'))) {
    git('init', '-q');
    git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'add', '-A');
    git(
      '-c',
      'user.name=Setup',
      '-c',
      'user.email=setup@example.invalid',
      'commit',
      '-qm',
      'content as it was',
    );
  }
  const photo = await phonePhoto();
  expect((await sharp(photo).metadata()).exif).toBeDefined(); // the input really carries EXIF

  const readerContext = await signedIn(browser, 'Rhea Reader', 'reader');
  const reader = await readerContext.newPage();
  await reader.goto(`/topics/${TOPIC}`);
  await expect(reader.locator('.live-status[data-status="live"]')).toBeAttached({ timeout: 20_000 });
  // A reader following along: the top of the stream on screen, so new items are inserted (SPEC §6).
  await reader.evaluate(() => document.querySelector('.live-stream')?.scrollIntoView({ block: 'start' }));

  const editorContext = await signedIn(browser, 'Edie Editor', 'editor');
  const editor = await editorContext.newPage();
  await editor.goto(`/topics/${TOPIC}`);
  const update = editor.getByLabel('Update', { exact: true });
  await expect(update).toBeVisible({ timeout: 20_000 });

  const headline = `Harbour at dawn ${Date.now()}`;
  await update.fill(`Boats are back in the harbour this morning.`);
  await editor.getByLabel('Headline').fill(headline);
  await editor.getByLabel('Key event').check();
  await editor.getByLabel('Alt text').fill('Fishing boats moored in the harbour at dawn');
  await editor
    .getByLabel('Photo')
    .setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(update).toHaveValue(
    /<Figure src="\/media\/[^"]+" alt="Fishing boats moored in the harbour at dawn"/,
  );
  await editor.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(editor.getByRole('status').filter({ hasText: 'Published' }).first()).toBeVisible();

  // The reader sees it appear live, with its key-event label and the photo.
  const item = reader.locator('article', { has: reader.getByRole('heading', { name: headline }) });
  await expect(item).toBeVisible();
  await expect(item.getByText('Key event')).toBeVisible();
  const img = item.locator('img[src^="/media/"]');
  await expect(img).toBeVisible();
  expect(await img.getAttribute('srcset')).toMatch(/480w.*960w.*1600w/);

  // Every stored width comes out without metadata: no EXIF, so no GPS position.
  const srcset = (await img.getAttribute('srcset'))!;
  for (const src of srcset.split(',').map((part) => part.trim().split(' ')[0]!)) {
    const res = await reader.request.get(src);
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toContain('immutable');
    const bytes = await res.body();
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
  }

  // One commit per action, authored by the editor.
  const slug = headline.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const file = git('ls-files', '--', `articles/*/*/${slug}.mdx`).trim();
  expect(file).toMatch(new RegExp(`^articles/\\d{4}/\\d{2}/${slug}\\.mdx$`));
  published = file;
  expect(commitsOf(file)).toEqual([`Edie Editor|Publish ${file}`]);
  const managed = editor.locator('article', { has: editor.getByRole('heading', { name: headline }) });
  await managed.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(item.getByText('Pinned')).toBeVisible();
  // The commit follows the change readers already see (the file is applied first), so wait for it.
  await expect
    .poll(() => commitsOf(file))
    .toEqual([`Edie Editor|Pin ${file}`, `Edie Editor|Publish ${file}`]);

  // Deleted from the stream (the reader sees it go), restored from /desk's Trash (and it is back).
  await managed.getByRole('button', { name: 'Delete', exact: true }).click();
  await managed.getByRole('button', { name: 'Delete', exact: true }).click(); // the inline confirmation
  await expect(item).toHaveCount(0);
  expect(existsSync(path.join(E2E_CONTENT_DIR, '.trash', file))).toBe(true);
  await expect.poll(() => commitsOf(file)[0]).toBe(`Edie Editor|Delete ${file}`);
  await editor.goto('/desk');
  const trashed = editor.getByRole('listitem').filter({ hasText: `.trash/${file}` });
  await trashed.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(editor.getByRole('status').filter({ hasText: `Restored ${file}` })).toBeVisible();
  await expect(item).toBeVisible();
  await expect
    .poll(() => commitsOf(file))
    .toEqual([
      `Edie Editor|Restore ${file}`,
      `Edie Editor|Delete ${file}`,
      `Edie Editor|Pin ${file}`,
      `Edie Editor|Publish ${file}`,
    ]);

  await readerContext.close();
  await editorContext.close();
});
