import type { Locator } from '@playwright/test';
import { topicMdx } from '../lib/testing/content';
import { expect, openUntil, test } from './fixtures';

// Sample content (content/): one live topic, three others, a draft and an article scheduled in 2027.
const LIVE_TOPIC = { slug: 'northport-flood-updates', title: 'Northport Flood Updates' };
// In the topics' `order`: the live topic first.
const TOPICS = ['Northport Flood Updates', 'City Hall', 'Science', 'Transport'];
const DRAFT = {
  slug: 'volunteers-who-kept-lowmarsh-running',
  title: 'The volunteers who kept Lowmarsh running',
};
const SCHEDULED = {
  slug: 'six-months-after-the-flood',
  title: 'Six months after the flood: is Northport ready for the next one?',
};
const HIDDEN = [DRAFT, SCHEDULED];

/** publishedAt of each story in a stream, in page order, with whether it is pinned. */
async function streamOrder(stream: Locator) {
  return stream.getByRole('article').evaluateAll((items) =>
    items.map((item) => ({
      pinned: [...item.querySelectorAll('.badge')].some((b) => b.textContent === 'Pinned'),
      publishedAt: item.querySelector('time')?.getAttribute('datetime') ?? '',
    })),
  );
}

test.describe('front page', () => {
  test('shows the live topic first, then the latest stories and key events', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);

    const live = page.getByRole('region', { name: new RegExp(LIVE_TOPIC.title) });
    await expect(live).toBeVisible();
    await expect(live.getByText('Live', { exact: true })).toBeVisible();
    await expect(live.getByRole('link', { name: LIVE_TOPIC.title })).toHaveAttribute(
      'href',
      `/topics/${LIVE_TOPIC.slug}`,
    );
    await expect(live.getByRole('article').first()).toBeVisible();

    // Live coverage comes before everything else on the page.
    const sections = page.getByRole('main').getByRole('heading', { level: 2 });
    await expect(sections.first()).toContainText(LIVE_TOPIC.title);

    const latest = page.getByRole('region', { name: 'Latest' });
    await expect(latest.getByRole('article')).not.toHaveCount(0);
    const firstStory = latest.getByRole('article').first().getByRole('link');
    await expect(firstStory).toHaveAttribute('href', /^\/articles\/[a-z0-9-]+$/);

    const keyEvents = page.getByRole('region', { name: 'Key events' });
    await expect(
      keyEvents.getByRole('link', { name: 'River Auden passes its 1968 record at Quayside' }),
    ).toHaveAttribute('href', '/articles/quayside-gauge-passes-1968-record');
    await expect(keyEvents.locator('time[datetime]').first()).toBeAttached();
  });

  test('main navigation reaches topics and search', async ({ page }) => {
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Topics' }).click();
    await expect(page).toHaveURL('/topics');
    await expect(page.getByRole('heading', { level: 1, name: 'Topics' })).toBeVisible();
    await nav.getByRole('link', { name: 'Search' }).click();
    await expect(page).toHaveURL('/search');
    await expect(page.getByRole('searchbox', { name: 'Search articles' })).toBeVisible();
  });
});

test('/topics lists every topic, the live one marked LIVE', async ({ page }) => {
  await page.goto('/topics');
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 2 })).toHaveText(TOPICS);
  for (const title of TOPICS) {
    await expect(main.getByRole('link', { name: title, exact: true })).toHaveAttribute(
      'href',
      /^\/topics\/[a-z0-9-]+$/,
    );
  }
  const liveCard = main
    .getByRole('article')
    .filter({ has: page.getByRole('link', { name: LIVE_TOPIC.title }) });
  await expect(liveCard.getByText('Live', { exact: true })).toBeVisible();
  const transportCard = main
    .getByRole('article')
    .filter({ has: page.getByRole('link', { name: 'Transport' }) });
  await expect(transportCard.getByText('Live', { exact: true })).toHaveCount(0);
});

test.describe('topic page', () => {
  test('live topic: pinned first, then newest first, with key events and updates in full', async ({
    page,
  }) => {
    await page.goto(`/topics/${LIVE_TOPIC.slug}`);
    await expect(page.getByRole('heading', { level: 1, name: LIVE_TOPIC.title })).toBeVisible();
    await expect(page.getByRole('main').getByText('Live', { exact: true }).first()).toBeVisible();

    const stream = page.getByRole('region', { name: 'Live updates' });
    const first = stream.getByRole('article').first();
    await expect(first).toContainText('Pinned');
    await expect(
      first.getByRole('heading', { name: 'Where to get help: emergency numbers, rest centres and alerts' }),
    ).toBeVisible();

    const order = await streamOrder(stream);
    expect(order.length).toBe(20);
    const pinnedCount = order.findIndex((item) => !item.pinned);
    expect(
      order.slice(pinnedCount).every((item) => !item.pinned),
      'pinned stories come before the rest',
    ).toBe(true);
    const times = order.slice(pinnedCount).map((item) => Date.parse(item.publishedAt));
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    expect(times, 'newest first').toEqual([...times].sort((a, b) => b - a));

    const keyEvents = page.getByRole('region', { name: 'Key events' });
    await expect(
      keyEvents.getByRole('link', { name: 'Power cut hits 14,000 homes as substation is switched off' }),
    ).toHaveAttribute('href', '/articles/power-cut-14000-homes');

    // An update is shown in full inline: its second paragraph is on the topic page.
    const update = stream
      .getByRole('article')
      .filter({ hasText: 'Boil-water notice lifted for east Northport' });
    await expect(update.getByText('run their cold kitchen tap for two minutes')).toBeVisible();
    await expect(update.getByRole('link').first()).toHaveAttribute(
      'href',
      '/articles/boil-water-notice-lifted',
    );
  });

  test('an article in a stream is a card that links to its page', async ({ page }) => {
    await page.goto(`/topics/${LIVE_TOPIC.slug}`);
    const card = page
      .getByRole('region', { name: 'Live updates' })
      .getByRole('link', { name: 'A week under water: how the Northport flood unfolded' });
    await expect(card).toHaveAttribute('href', '/articles/northport-flood-week-timeline');
    await card.click();
    await expect(page).toHaveURL('/articles/northport-flood-week-timeline');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'A week under water: how the Northport flood unfolded',
    );
  });

  test('a pinned story leads a non-live topic even when it is the oldest', async ({ page }) => {
    await page.goto('/topics/science');
    await expect(page.getByRole('heading', { level: 1, name: 'Science' })).toBeVisible();
    const stream = page.getByRole('region', { name: 'Latest' });
    await expect(stream.getByRole('article').first().getByRole('heading')).toHaveText(
      'What the mud remembers: sediment cores reveal 800 years of Auden floods',
    );
    const order = await streamOrder(stream);
    const rest = order.filter((item) => !item.pinned).map((item) => Date.parse(item.publishedAt));
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
  });

  test('more than 20 stories paginate with an "Older" link', async ({ page, writeFile, writeArticle }) => {
    const stamp = `${Date.now().toString(36)}${test.info().workerIndex}`;
    const topic = `e2e-paging-${stamp}`;
    await writeFile(`topics/${topic}.mdx`, topicMdx(`Paging ${stamp}`));
    const start = Date.now() - 3 * 60 * 60_000;
    const title = (i: number) => `Paging ${stamp} update ${String(i).padStart(2, '0')}`;
    for (let i = 1; i <= 25; i++) {
      await writeArticle({
        title: title(i),
        topics: [topic],
        kind: 'update',
        publishedAt: new Date(start + i * 60_000).toISOString(),
        body: `Body of update ${i}.`,
      });
    }

    const stream = page.getByRole('region', { name: 'Latest' });
    await openUntil(page, `/topics/${topic}`, async () => {
      await expect(page.getByText('Page 1 of 2')).toBeVisible({ timeout: 1_000 });
      await expect(stream.getByRole('article')).toHaveCount(20, { timeout: 1_000 });
    });
    const headlines = stream.getByRole('article').getByRole('heading');
    await expect(headlines.first()).toHaveText(title(25));
    await expect(headlines.last()).toHaveText(title(6));
    await expect(page.getByRole('link', { name: 'Newer' })).toHaveCount(0);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Older' }).click();
    await expect(page).toHaveURL(`/topics/${topic}/page/2`);
    await expect(page.getByText('Page 2 of 2')).toBeVisible();
    await expect(headlines).toHaveText([5, 4, 3, 2, 1].map(title));
    await expect(page.getByRole('link', { name: 'Older' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Newer' }).click();
    await expect(page).toHaveURL(`/topics/${topic}`);

    expect((await page.goto(`/topics/${topic}/page/3`))?.status()).toBe(404);
  });
});

test.describe('article page', () => {
  test('shows headline, byline, times, reading time and the lead image with caption and credit', async ({
    page,
  }) => {
    await page.goto('/articles/mayors-budget-schools-and-sea-walls');
    const article = page.getByRole('article');
    await expect(article.getByRole('heading', { level: 1 })).toHaveText(
      "Mayor's budget: schools & sea walls",
    );

    const byline = article.getByRole('link', { name: 'Maya Okafor' });
    await expect(byline).toHaveAttribute('href', '/authors/maya-okafor');
    await expect(article.locator('time[datetime="2026-11-20T07:30:00Z"]')).toBeAttached();
    await expect(article.locator('time[datetime="2026-11-20T12:05:00Z"]')).toContainText('Updated');
    await expect(article.getByText(/^\d+ min read$/)).toBeVisible();
    await expect(article.getByRole('link', { name: 'City Hall' }).first()).toHaveAttribute(
      'href',
      '/topics/city-hall',
    );

    const figure = article
      .getByRole('figure')
      .filter({ has: page.getByRole('img') })
      .first();
    await expect(
      figure.getByRole('img', {
        name: 'The Northport council chamber seen from the public gallery, with curved rows of green benches',
      }),
    ).toBeVisible();
    await expect(figure).toContainText(
      'Councillors will debate the draft budget in the main chamber on 9 December.',
    );
    await expect(figure).toContainText('Illustration: Dispatch graphics');

    await byline.click();
    await expect(page).toHaveURL('/authors/maya-okafor');
  });

  test('renders MDX components: PullQuote, Callout and a GFM table', async ({ page }) => {
    await page.goto('/articles/mayors-budget-schools-and-sea-walls');
    const quote = page.getByRole('figure').filter({ has: page.locator('blockquote') });
    await expect(quote.locator('blockquote')).toContainText(
      'Patching is the most expensive way to do either.',
    );
    await expect(quote).toContainText('Ingrid Castell, Mayor of Northport');

    await page.goto('/articles/harbour-line-extension-consultation');
    await expect(page.getByRole('complementary', { name: 'Note' })).toContainText(
      'The consultation runs until',
    );
    await expect(page.getByRole('complementary', { name: 'Note' }).locator('strong')).toHaveText(
      '1 January 2027',
    );
    const table = page.getByRole('table');
    await expect(table.getByRole('columnheader', { name: 'Estimated cost' })).toBeVisible();
    await expect(
      table.getByRole('row', { name: /Tunnel under the estuary mouth/ }).getByRole('cell', { name: '€390m' }),
    ).toBeVisible();

    await page.goto('/articles/insurers-claims-centre-corn-exchange');
    await expect(page.getByRole('complementary', { name: 'Before you clear up' })).toContainText(
      'photograph the damage',
    );
  });
});

test('author page lists the author and their stories, not drafts or scheduled ones', async ({ page }) => {
  await page.goto('/authors/maya-okafor');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Maya Okafor');
  await expect(page.getByText('City Hall editor')).toBeVisible();
  await expect(page.getByText('She grew up in Lowmarsh.')).toBeVisible();
  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: "Mayor's budget: schools & sea walls" })).toHaveAttribute(
    'href',
    '/articles/mayors-budget-schools-and-sea-walls',
  );
  for (const hidden of HIDDEN) await expect(main.getByRole('link', { name: hidden.title })).toHaveCount(0);
});

test.describe('search', () => {
  test('the search form shows ranked results with the matches highlighted', async ({ page }) => {
    await page.goto('/search');
    await page.getByRole('searchbox', { name: 'Search articles' }).fill('sediment');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL('/search?q=sediment');
    await expect(page.getByRole('status')).toHaveText(/^\d+ results? for “sediment”\.$/);

    const results = page.getByRole('main').getByRole('listitem');
    await expect(results).not.toHaveCount(0);
    // The story with the word in its title ranks first.
    await expect(results.first().getByRole('heading')).toHaveText(
      'What the mud remembers: sediment cores reveal 800 years of Auden floods',
    );
    await expect(results.first().getByRole('link')).toHaveAttribute(
      'href',
      '/articles/sediment-cores-800-years-of-floods',
    );
    const marks = page.getByRole('main').locator('mark');
    await expect(marks.first()).toBeVisible();
    for (const text of await marks.allTextContents()) expect(text.toLowerCase()).toContain('sediment');
  });

  test('a query with no results says so', async ({ page }) => {
    await page.goto('/search?q=xylophonequartzwombat');
    await expect(page.getByRole('status')).toHaveText('No results for “xylophonequartzwombat”.');
    await expect(page.getByRole('main').getByRole('listitem')).toHaveCount(0);
    await expect(page.getByRole('searchbox', { name: 'Search articles' })).toHaveValue(
      'xylophonequartzwombat',
    );
  });

  test('finds newly written content, but not drafts or scheduled articles', async ({
    page,
    writeArticle,
  }) => {
    const word = `zorblax${Date.now().toString(36)}`;
    const visible = await writeArticle({ body: `A visible story about ${word}.` });
    const draft = await writeArticle({ body: `A draft about ${word}.`, extra: 'draft: true\n' });
    const scheduled = await writeArticle({
      body: `A scheduled story about ${word}.`,
      publishedAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    await openUntil(page, `/search?q=${word}`, async () => {
      await expect(page.getByRole('status')).toHaveText(`1 result for “${word}”.`, { timeout: 1_000 });
    });
    await expect(page.getByRole('link', { name: visible.title, exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: draft.title, exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: scheduled.title, exact: true })).toHaveCount(0);
    for (const hidden of [draft, scheduled]) expect((await page.request.get(hidden.url)).status()).toBe(404);
  });
});

test.describe('not found', () => {
  for (const url of [
    '/articles/no-such-article',
    '/topics/no-such-topic',
    '/authors/no-such-author',
    '/topics/transport/page/99',
    '/authors/maya-okafor/page/99',
    '/articles/Not_A_Slug',
    '/no/such/page',
  ]) {
    test(`${url} is a real 404 page`, async ({ page }) => {
      const response = await page.goto(url);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
      await expect(page.getByRole('link', { name: 'Go to the front page' })).toHaveAttribute('href', '/');
    });
  }
});

test('draft and scheduled articles are not served: 404, and absent from search, feeds and the sitemap', async ({
  page,
  request,
}) => {
  for (const hidden of HIDDEN) {
    const response = await page.goto(`/articles/${hidden.slug}`);
    expect(response?.status(), hidden.slug).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  }

  for (const q of ['volunteers Lowmarsh', 'Six months after the flood', 'Red Shore Trust']) {
    await page.goto(`/search?q=${encodeURIComponent(q)}`);
    await expect(page.getByRole('status')).toBeVisible();
    for (const hidden of HIDDEN) await expect(page.getByRole('link', { name: hidden.title })).toHaveCount(0);
  }

  const documents = [
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    `/topics/${LIVE_TOPIC.slug}/rss.xml`,
    `/topics/${LIVE_TOPIC.slug}/atom.xml`,
    `/topics/${LIVE_TOPIC.slug}/feed.json`,
    '/topics/city-hall/rss.xml',
    '/sitemap.xml',
  ];
  for (const url of documents) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    const body = await response.text();
    expect(body, `${url} lists a known article`).toContain('/articles/');
    for (const hidden of HIDDEN)
      expect(body, `${url} must not list ${hidden.slug}`).not.toContain(hidden.slug);
  }
});
