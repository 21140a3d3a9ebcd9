import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { insertReader, postReplyAs, readMail, sessionToken, signInAs, withDb } from './accounts';
import { expect, expectNoReload, markDocument, test } from './fixtures';

/** A second, independent browser (its own cookies) signed in as `email`, on `url`. */
async function otherReader(browser: Browser, email: string | null, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (email) await signInAs(page, email, url);
  else await page.goto(url);
  return { page, close: () => context.close() };
}

const replies = (page: Page) => page.locator('section.replies');
const replyBy = (page: Page, name: string, text?: string) =>
  replies(page)
    .getByRole('article', { name })
    .filter(text ? { hasText: text } : {});

/** The article exists once the content watcher has picked it up. */
async function published(page: Page, url: string) {
  await expect.poll(async () => (await page.request.get(url)).status()).toBe(200);
}

/** Flood control remembers each reader's last reply; here 15 s pass in an instant. */
const forgetFlood = () => withDb((db) => db.updateTable('users').set({ last_reply_at: null }).execute());

async function post(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Reply', exact: true }).fill(text);
  await page.getByRole('button', { name: 'Post reply' }).click();
}

/** Answers `name`'s reply containing `parentText` through its own Reply form. */
async function answer(page: Page, name: string, parentText: string, text: string) {
  const parent = replyBy(page, name, parentText).first();
  await parent.getByRole('button', { name: 'Reply', exact: true }).click();
  await parent.getByRole('textbox', { name: `Reply to ${name}` }).fill(text);
  await parent.getByRole('button', { name: 'Post reply' }).click();
}

test('a signed-in reader posts a reply: shown at once, kept after reload, no email anywhere', async ({
  page,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const ada = await insertReader('Ada Replies');
  await signInAs(page, ada.email, article.url);
  await expect(page.getByRole('heading', { name: 'Leave a Reply' })).toBeVisible();
  await expect(replies(page)).toContainText('Your email address will not be published');
  await expect(replies(page)).toContainText('Replying as Ada Replies');
  await expect(page.getByRole('heading', { name: '0 Replies' })).toBeVisible();
  await post(page, 'First thoughts, with *emphasis*.');
  const reply = replyBy(page, 'Ada Replies');
  await expect(reply).toContainText('First thoughts, with emphasis.');
  await expect(reply.locator('em')).toHaveText('emphasis');
  await expect(reply.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(page.getByRole('heading', { name: '1 Reply' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Reply', exact: true })).toHaveValue('');

  await page.reload();
  await expect(replyBy(page, 'Ada Replies')).toContainText('First thoughts');
  const id = await replyBy(page, 'Ada Replies').getAttribute('id');
  expect(id).toMatch(/^reply-[0-9a-f-]{36}$/);

  // The address is nowhere: not in the page, not in what the browser fetched.
  expect(await page.content()).not.toContain(ada.email);
  const api = await page.request.get(`/api/articles/${article.slug}/replies`);
  expect(await api.text()).not.toContain(ada.email);
  expect(await api.text()).not.toContain('@example.org');

  // A permalink scrolls to the reply and focuses it.
  await page.goto(`${article.url}#${id}`);
  await expect(page.locator(`#${id}`)).toBeFocused();

  // Sorting: oldest first by default, newest first on request.
  await forgetFlood();
  await post(page, 'A later thought');
  await expect(page.getByRole('heading', { name: '2 Replies' })).toBeVisible();
  const firstReply = () => replies(page).locator('.reply-list > li > article').first();
  await expect(firstReply()).toContainText('First thoughts');
  await page.getByLabel('Sort replies').selectOption('newest');
  await expect(firstReply()).toContainText('A later thought');

  // The count shows on the article's card on the front page.
  const counts = await (await page.request.get(`/api/replies/counts?articles=${article.slug}`)).json();
  expect(counts).toEqual({ counts: { [article.slug]: 2 } });
  await page.goto('/');
  await expect(page.getByRole('article').filter({ hasText: article.title }).first()).toContainText(
    '2 Replies',
  );
});

test('signed out, "Sign in to reply" goes through sign-in and back to the form', async ({
  page,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const bo = await insertReader('Bo Returns');
  await page.goto(article.url);
  await expect(page.getByRole('textbox', { name: 'Reply', exact: true })).toHaveCount(0);
  await page.getByRole('link', { name: 'Sign in to reply' }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel('Email', { exact: true }).fill(bo.email);
  await page.getByLabel('Password').fill(bo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${article.url}#leave-a-reply$`));
  await expect(page.getByRole('textbox', { name: 'Reply', exact: true })).toBeVisible();
});

test('nested replies thread to depth 3, then name whom they answer; another reader sees them live', async ({
  page,
  browser,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const [ada, bo] = [await insertReader('Ada Thread'), await insertReader('Bo Thread')];
  await signInAs(page, ada.email, article.url);
  const watcher = await otherReader(browser, null, article.url);
  await expect(watcher.page.getByRole('heading', { name: '0 Replies' })).toBeVisible();

  await post(page, 'Level one');
  // The signed-out reader's open page gets it live, without a reload.
  await expect(replyBy(watcher.page, 'Ada Thread', 'Level one')).toBeVisible();

  const second = await otherReader(browser, bo.email, article.url);
  await answer(second.page, 'Ada Thread', 'Level one', 'Level two');
  await expect(replyBy(page, 'Bo Thread', 'Level two')).toBeVisible(); // live for Ada too
  await forgetFlood();
  await answer(page, 'Bo Thread', 'Level two', 'Level three');
  await expect(replyBy(second.page, 'Ada Thread', 'Level three')).toBeVisible();
  await forgetFlood();
  await answer(second.page, 'Ada Thread', 'Level three', 'Level four');

  const four = replyBy(watcher.page, 'Bo Thread', 'Level four');
  await expect(four).toBeVisible();
  await expect(four).toContainText('replying to Ada Thread');
  // Three nested lists deep, never four.
  await expect(watcher.page.locator('.reply-list .reply-list .reply-list .reply-list')).toHaveCount(0);
  await expect(watcher.page.locator('.reply-list .reply-list .reply-list article')).toHaveCount(2);
  await expect(watcher.page.getByRole('heading', { name: '4 Replies' })).toBeVisible();
  await second.close();
  await watcher.close();
});

test('edit within the window shows "edited"; an old reply has no Edit; delete leaves a placeholder when answered', async ({
  page,
  browser,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const [ada, bo] = [await insertReader('Ada Edits'), await insertReader('Bo Edits')];
  await signInAs(page, ada.email, article.url);
  await post(page, 'Teh typo');
  await expect(page.getByRole('heading', { name: '1 Reply' })).toBeVisible(); // the server's copy, not the optimistic one
  const id = await replyBy(page, 'Ada Edits', 'Teh typo').getAttribute('id');
  const mine = page.locator(`#${id}`);
  await mine.getByRole('button', { name: 'Edit' }).click();
  await mine.getByRole('textbox', { name: 'Edit reply' }).fill('The typo, fixed');
  await mine.getByRole('button', { name: 'Save' }).click();
  const fixed = replyBy(page, 'Ada Edits', 'The typo, fixed');
  await expect(fixed).toContainText('edited');

  // Twenty minutes later there is nothing to edit (the server refuses too: lib/replies/service.test.ts).
  await withDb((db) =>
    db
      .updateTable('replies')
      .set({ created_at: Date.now() - 20 * 60_000 })
      .where('article', '=', article.slug)
      .execute(),
  );
  await page.reload();
  await expect(
    replyBy(page, 'Ada Edits', 'The typo, fixed').getByRole('button', { name: 'Delete' }),
  ).toBeVisible();
  await expect(
    replyBy(page, 'Ada Edits', 'The typo, fixed').getByRole('button', { name: 'Edit' }),
  ).toHaveCount(0);

  // Bo answers; Ada deletes hers: a placeholder keeps Bo's answer in place.
  const bob = await otherReader(browser, bo.email, article.url);
  await answer(bob.page, 'Ada Edits', 'The typo, fixed', 'An answer');
  await expect(replyBy(page, 'Bo Edits', 'An answer')).toBeVisible();

  await replyBy(page, 'Ada Edits', 'The typo, fixed').getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete reply' }).click();
  await expect(replies(page).getByText('This reply was deleted.')).toBeVisible();
  await expect(replies(page)).not.toContainText('The typo, fixed');
  await expect(bob.page.getByText('This reply was deleted.')).toBeVisible(); // live
  await expect(replyBy(bob.page, 'Bo Edits', 'An answer')).toBeVisible();
  await bob.close();
});

test('flood control: a second reply within 15 s is refused with the wait, and the text is kept', async ({
  page,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const ada = await insertReader('Ada Floods');
  await signInAs(page, ada.email, article.url);
  await post(page, 'One');
  await expect(page.getByRole('heading', { name: '1 Reply' })).toBeVisible(); // the server's answer is in
  await post(page, 'Two, too soon');
  const form = page.locator('#leave-a-reply');
  await expect(form.getByRole('status')).toHaveText(
    /You are posting too quickly\. Please wait 1?\d seconds?\./,
  );
  await expect(page.getByRole('textbox', { name: 'Reply', exact: true })).toHaveValue('Two, too soon');
  await expect(replies(page).getByRole('article').filter({ hasText: 'Two, too soon' })).toHaveCount(0);

  // Whitespace only: refused on the server, text kept.
  await page.getByRole('textbox', { name: 'Reply', exact: true }).fill('  \u200B ');
  await page.getByRole('button', { name: 'Post reply' }).click();
  await expect(form.getByRole('status')).toHaveText('Write something before posting.');
});

test('hostile replies render as inert text', async ({ page, writeArticle }) => {
  const article = await writeArticle();
  await published(page, article.url);
  const eve = await insertReader('Eve Hostile');
  await signInAs(page, eve.email, article.url);
  let dialogs = 0;
  page.on('dialog', (d) => (dialogs++, d.dismiss()));
  const hostile =
    '<img src=x onerror=alert(1)> <script>alert(2)</script> [click](javascript:alert(3)) [ok](https://example.org/ok)';
  await post(page, hostile);
  const reply = replyBy(page, 'Eve Hostile');
  await expect(reply).toContainText('<img src=x onerror=alert(1)>');
  await expect(reply).toContainText('<script>alert(2)</script>');
  await expect(reply.locator('img, script')).toHaveCount(0);
  await expect(reply.getByRole('link', { name: 'ok' })).toHaveAttribute('href', 'https://example.org/ok');
  await expect(reply.getByRole('link', { name: 'ok' })).toHaveAttribute('rel', 'nofollow ugc noopener');
  await expect(reply.getByRole('link', { name: 'click' })).toHaveCount(0);
  await page.reload();
  await expect(replyBy(page, 'Eve Hostile')).toContainText('<script>alert(2)</script>');
  expect(dialogs).toBe(0);
});

test('a report reaches the moderators; a moderator hides the reply and it disappears live for readers', async ({
  page,
  browser,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const [ada, bo, mo] = [
    await insertReader('Ada Rude'),
    await insertReader('Bo Reports'),
    await insertReader('Mo Moderates', 'moderator'),
  ];
  await signInAs(page, ada.email, article.url);
  await post(page, 'Something rude');
  await expect(replyBy(page, 'Ada Rude', 'Something rude')).toBeVisible();

  // Readers can't open the moderation page: a real 404.
  expect((await page.request.get('/moderation')).status()).toBe(404);

  const bob = await otherReader(browser, bo.email, article.url);
  const rude = replyBy(bob.page, 'Ada Rude', 'Something rude');
  await rude.getByRole('button', { name: 'Report' }).click();
  await rude.getByLabel('Reason').selectOption('abuse');
  await rude.getByLabel('Details (optional)').fill('name-calling');
  await rude.getByRole('button', { name: 'Send report' }).click();
  await expect(rude.getByRole('status')).toHaveText('Thank you. A moderator will look at it.');

  const mod = await otherReader(browser, mo.email, '/moderation');
  const reported = mod.page
    .getByRole('region', { name: /Reported/ })
    .getByRole('article', { name: 'Reply by Ada Rude' });
  await expect(reported).toContainText('Something rude');
  await expect(reported.getByRole('list', { name: 'Reports' })).toContainText('abuse: name-calling');
  await reported.getByLabel('Reason (logged)').fill('abusive');
  await reported.getByRole('button', { name: 'Hide' }).click();
  await expect(mod.page.getByRole('region', { name: /Hidden/ })).toContainText('Something rude');
  await expect(mod.page.getByRole('table')).toContainText('Mo Moderates');
  await expect(mod.page.getByRole('table')).toContainText('abusive');

  // Bo's open page loses it without a reload.
  await expect(bob.page.getByText('Something rude')).toHaveCount(0);
  await expect(bob.page.getByRole('heading', { name: '0 Replies' })).toBeVisible();

  await new AxeBuilder({ page: mod.page })
    .analyze()
    .then((r) =>
      expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]),
    );
  await bob.close();
  await mod.close();
});

test('an answer notifies the reader: the bell counts it live, list, mark read, and an opted-in email in plain text', async ({
  page,
  browser,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const [ada, bo] = [await insertReader('Ada Notified'), await insertReader('Bo <b>Answers</b>')];
  await signInAs(page, ada.email, '/account');
  await page.getByLabel('Email me when someone replies to me').check();
  await page.getByRole('button', { name: 'Save notifications' }).click();
  await expect(page.getByText('We will email you when someone replies to you.')).toBeVisible();
  await page.goto(article.url);
  await post(page, 'Anyone know more?');
  await expect(replyBy(page, 'Ada Notified', 'Anyone know more?')).toBeVisible();

  await expect(page.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();
  await markDocument(page);

  const bob = await otherReader(browser, bo.email, article.url);
  await answer(bob.page, 'Ada Notified', 'Anyone know more?', 'Yes: <a href="x">see</a>');
  await expect(replyBy(page, 'Bo <b>Answers</b>', 'Yes:')).toBeVisible();
  // The bell is live: the answer's event on this page brings the count, no reload.
  await expect(page.getByRole('link', { name: 'Notifications, 1 unread' })).toBeVisible();
  await expectNoReload(page);
  await page.getByRole('link', { name: 'Notifications, 1 unread' }).click();
  await expect(page.getByRole('link', { name: /Bo <b>Answers<\/b> replied to you on/ })).toBeVisible();
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByText('You are all caught up.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();

  const mail = await readMail(ada.email);
  expect(mail).toMatch(/Content-Type: text\/plain/i);
  expect(mail).not.toMatch(/Content-Type: text\/html/i);
  expect(mail).toContain('> Yes: <a href="x">see</a>');
  expect(mail).toContain(`${article.url}#reply-`);
  await bob.close();
});

test('a burst of 20 replies in 2 s leaves an open article page responsive and complete', async ({
  page,
  request,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const writers = await Promise.all(Array.from({ length: 20 }, (_, i) => insertReader(`Burst ${i + 1}`)));
  const tokens = await Promise.all(writers.map((w) => sessionToken(w.email)));
  await page.goto(article.url);
  await expect(replies(page).getByRole('link', { name: 'Sign in to reply' })).toBeVisible();
  await markDocument(page);

  // One every 100 ms, each from its own reader (flood control allows one per reader).
  const posted: Promise<boolean>[] = [];
  for (const [i, token] of tokens.entries()) {
    posted.push(postReplyAs(request, token, { article: article.slug, body: `Burst reply number ${i + 1}.` }));
    await new Promise((r) => setTimeout(r, 100));
  }
  // Responsive during the burst: the page answers input at once.
  const took = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }),
  );
  expect(took).toBeLessThan(500);
  expect(await Promise.all(posted)).toEqual(tokens.map(() => true));

  // Complete: every reply is there, in order, and the count says so.
  await expect(replies(page).getByRole('heading', { name: '20 Replies' })).toBeVisible();
  for (let i = 1; i <= 20; i++) {
    await expect(replyBy(page, `Burst ${i}`, `Burst reply number ${i}.`)).toBeVisible();
  }
  await expectNoReload(page);
});

test('the article with replies is accessible and has no horizontal scroll at 360 px', async ({
  page,
  writeArticle,
}) => {
  const article = await writeArticle();
  await published(page, article.url);
  const ada = await insertReader('Ada Axe');
  await signInAs(page, ada.email, article.url);
  await post(page, `A long word: ${'x'.repeat(120)} and a [link](https://example.org)`);
  await expect(replyBy(page, 'Ada Axe')).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await page.setViewportSize({ width: 360, height: 780 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
