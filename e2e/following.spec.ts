import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import Parser from 'rss-parser';
import { insertReader, PASSWORD, signInAs, withDb } from './accounts';
import { expect, test } from './fixtures';

const TOPIC = 'transport';

async function readerId(email: string) {
  return withDb(
    async (db) =>
      (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id,
  );
}

/**
 * Follows straight in the database, with the cursor at `seenUntil`: by default ten minutes ago, as
 * the test articles are dated a minute before they are written.
 */
async function follow(email: string, topic = TOPIC, seenUntil = Date.now() - 10 * 60_000) {
  const id = await readerId(email);
  await withDb((db) =>
    db
      .insertInto('follows')
      .values({ user_id: id, topic, level: 'all', seen_until: seenUntil, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['user_id', 'topic']).doUpdateSet({ seen_until: seenUntil }))
      .execute(),
  );
}

async function device(
  browser: Browser,
  email: string,
  url: string,
  viewport?: { width: number; height: number },
) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  await signInAs(page, email, url);
  return { page, close: () => context.close() };
}

const followingLink = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Following/ });

test('follow from the topic page: pressed at once, kept after reload, listed on /following', async ({
  page,
}) => {
  const ada = await insertReader('Ada Follows');
  await signInAs(page, ada.email, `/topics/${TOPIC}`);
  const button = page.getByRole('main').getByRole('button', { name: 'Follow' }).first();
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByRole('main').getByRole('button', { name: 'Follow' }).first()).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  // The same state on /topics and on an article's topic chips.
  await page.goto('/topics');
  const card = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: 'Transport', exact: true }) });
  await expect(card.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'true');
  await page.goto('/following');
  await expect(page.getByRole('link', { name: 'Transport', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Latest from your topics' })).toBeVisible();

  // Unfollow from /topics: /following is empty again and suggests topics.
  await page.goto('/topics');
  await card.getByRole('button', { name: 'Follow' }).click();
  await expect(card.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'false');
  await page.goto('/following');
  await expect(page.getByText('You don’t follow any topics yet.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Topics to follow' })).toBeVisible();
});

test('signed out, Follow goes through sign-in and comes back following', async ({ page }) => {
  const bo = await insertReader('Bo Signs In');
  await page.goto(`/topics/${TOPIC}`);
  await page.getByRole('main').getByRole('button', { name: 'Follow' }).first().click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel('Email', { exact: true }).fill(bo.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/topics/${TOPIC}$`));
  await expect(page.getByRole('main').getByRole('button', { name: 'Follow' }).first()).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const id = await readerId(bo.email);
  await expect
    .poll(() => withDb((db) => db.selectFrom('follows').select('topic').where('user_id', '=', id).execute()))
    .toEqual([{ topic: TOPIC }]);
});

test('/following shows a new MDX item live; reading it on one device clears the count on the other', async ({
  page,
  browser,
  writeArticle,
}) => {
  const cy = await insertReader('Cy Two Devices');
  await follow(cy.email);
  // The laptop: any page, header count only.
  await signInAs(page, cy.email, '/topics');
  await expect(followingLink(page)).toHaveAccessibleName('Following');

  const first = await writeArticle({ title: `Followed news ${Date.now()}` });
  await expect.poll(async () => (await page.request.get(first.url)).status()).toBe(200);
  await page.reload();
  await expect(followingLink(page)).toHaveAccessibleName('Following, 1 unread');

  // The phone opens /following: the item is there, marked new; having seen it clears both counts.
  const phone = await device(browser, cy.email, '/following');
  const stream = phone.page.getByRole('region', { name: 'Latest from your topics' });
  await expect(stream.getByRole('article', { name: first.title })).toBeVisible();
  await expect(stream.getByText('New since your last visit')).toBeVisible();
  await expect(
    phone.page.getByRole('listitem').filter({ hasText: 'Transport' }).getByText('1 new'),
  ).toHaveCount(0, {
    timeout: 10_000,
  });
  await page.reload();
  await expect(followingLink(page)).toHaveAccessibleName('Following');

  // Live: a second item appears on the open /following page without a reload.
  const second = await writeArticle({ title: `Live followed news ${Date.now()}` });
  await expect(stream.getByRole('article', { name: second.title })).toBeVisible();
  await phone.close();
});

test('unread counts per topic, Mark all as read, and the private feed with its reset', async ({
  page,
  writeArticle,
}) => {
  const dee = await insertReader('Dee Reads Later');
  await follow(dee.email);
  // Three new items while away; a short window so not all of them are seen on arrival.
  const items = [];
  for (let i = 0; i < 3; i++) items.push(await writeArticle({ title: `Away news ${i} ${Date.now()}` }));
  for (const item of items)
    await expect.poll(async () => (await page.request.get(item.url)).status()).toBe(200);
  await page.setViewportSize({ width: 800, height: 420 });
  await signInAs(page, dee.email, '/following');
  const transport = page
    .getByRole('region', { name: 'Your topics' })
    .getByRole('listitem')
    .filter({ hasText: 'Transport' });
  await expect(transport.getByText(/^[1-3] new$/)).toBeVisible();
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByText('Everything is marked as read.')).toBeVisible();
  await expect(transport.getByText(/ new$/)).toHaveCount(0);
  await expect(followingLink(page)).toHaveAccessibleName('Following');

  // The private feed, read by a real feed parser (rss-parser) in RSS and Atom, and as JSON Feed 1.1;
  // a reset kills the old address.
  await page.goto('/account');
  const rssUrl = await page.getByRole('textbox', { name: 'RSS' }).inputValue();
  expect(rssUrl).toMatch(/\/following\/[A-Za-z0-9_-]{32}\/rss\.xml$/);
  const path = new URL(rssUrl).pathname;
  const rss = await page.request.get(path);
  expect(rss.status()).toBe(200);
  expect(rss.headers()['cache-control']).toContain('private');
  const parser = new Parser();
  for (const file of ['rss.xml', 'atom.xml']) {
    const feed = await parser.parseString(
      await (await page.request.get(path.replace('rss.xml', file))).text(),
    );
    expect(feed.title, file).toMatch(/^Your topics · /);
    const titles = feed.items.map((i) => i.title);
    for (const item of items) expect(titles, file).toContain(item.title);
    expect(
      feed.items.every((i) => i.link?.startsWith('http')),
      file,
    ).toBe(true);
  }
  const json = await (await page.request.get(path.replace('rss.xml', 'feed.json'))).json();
  expect(json.version).toBe('https://jsonfeed.org/version/1.1');
  expect(json.items.map((i: { title: string }) => i.title)).toEqual(
    expect.arrayContaining(items.map((i) => i.title)),
  );

  await page.getByRole('button', { name: 'Reset feed addresses' }).click();
  await expect(page.getByText('New addresses made. The old ones no longer work.')).toBeVisible();
  expect((await page.request.get(path)).status()).toBe(404);
  const fresh = new URL(await page.getByRole('textbox', { name: 'RSS' }).inputValue()).pathname;
  expect(fresh).not.toBe(path);
  expect((await page.request.get(fresh)).status()).toBe(200);
});

test('key events of followed topics reach the notification list, by the chosen level', async ({
  page,
  writeArticle,
}) => {
  const eve = await insertReader('Eve Key Events');
  await follow(eve.email);
  await signInAs(page, eve.email, '/following');
  await page.getByLabel('Notify me about Transport:').selectOption('key');
  await expect(page.getByText('Transport: Key events only.')).toBeVisible();

  const minor = await writeArticle({ title: `Minor ${Date.now()}` });
  const major = await writeArticle({ title: `Major ${Date.now()}`, extra: 'keyEvent: true\n' });
  for (const item of [minor, major])
    await expect.poll(async () => (await page.request.get(item.url)).status()).toBe(200);
  await page.goto('/notifications');
  await expect(
    page.getByRole('link', { name: `Key event in a topic you follow: ${major.title}` }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(minor.title) })).toHaveCount(0);
});

test('/following and /account are accessible, and the signed-in header fits a 360 px phone', async ({
  page,
}) => {
  const fay = await insertReader('Fay Axe-Montgomery-Wolstenholme', 'moderator');
  await follow(fay.email);
  await signInAs(page, fay.email, '/following');
  await expect(page.getByRole('heading', { name: 'Latest from your topics' })).toBeVisible();
  for (const url of ['/following', '/account']) {
    await page.goto(url);
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      url,
    ).toEqual([]);
  }
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto('/following');
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Moderation' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
