import type { APIRequestContext, Page } from '@playwright/test';
import { E2E_BASE_URL } from './env';
import { expect, test } from './fixtures';

const LIVE_TOPIC = 'northport-flood-updates';
const KNOWN = {
  slug: 'mayors-budget-schools-and-sea-walls',
  title: "Mayor's budget: schools & sea walls",
  topic: 'city-hall',
};
const HIDDEN_SLUGS = ['volunteers-who-kept-lowmarsh-running', 'six-months-after-the-flood'];
const absolute = (path: string) => new URL(path, E2E_BASE_URL + '/').href;

type ParsedXml = {
  error: string | null;
  root: string;
  namespace: string | null;
  version: string | null;
  /** Text of every element with the given local names, and every href attribute. */
  texts: Record<string, string[]>;
  hrefs: string[];
};

/** Parses XML with the browser's own parser: a feed reader would do no better. */
async function parseXml(page: Page, xml: string, names: string[]): Promise<ParsedXml> {
  return page.evaluate(
    ({ xml, names }) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const error = doc.getElementsByTagName('parsererror')[0];
      const root = doc.documentElement;
      const texts: Record<string, string[]> = {};
      for (const name of names) {
        texts[name] = [...doc.getElementsByTagNameNS('*', name)].map((e) => e.textContent?.trim() ?? '');
      }
      const hrefs = [...doc.querySelectorAll('[href]')].map((e) => e.getAttribute('href') ?? '');
      return {
        error: error ? (error.textContent ?? 'parse error') : null,
        root: root.localName,
        namespace: root.namespaceURI,
        version: root.getAttribute('version'),
        texts,
        hrefs,
      };
    },
    { xml, names },
  );
}

async function get(request: APIRequestContext, path: string, contentType: RegExp) {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  expect(response.headers()['content-type'], path).toMatch(contentType);
  return response.text();
}

const expectAbsolute = (urls: string[], label: string) => {
  expect(urls.length, `${label}: some URLs`).toBeGreaterThan(0);
  for (const url of urls) expect(url, label).toMatch(new RegExp(`^${E2E_BASE_URL.replace(/\./g, '\\.')}/`));
};

const expectNoHidden = (body: string, label: string) => {
  for (const slug of HIDDEN_SLUGS) expect(body, `${label} must not list ${slug}`).not.toContain(slug);
};

for (const { label, base, known } of [
  { label: 'site', base: '', known: KNOWN.slug },
  { label: 'topic', base: `/topics/${KNOWN.topic}`, known: KNOWN.slug },
  { label: 'live topic', base: `/topics/${LIVE_TOPIC}`, known: 'northport-flood-week-timeline' },
]) {
  test.describe(`${label} feeds`, () => {
    test('RSS 2.0', async ({ page, request }) => {
      const body = await get(request, `${base}/rss.xml`, /^application\/rss\+xml/);
      expect(body).toContain('<rss version="2.0"');
      const xml = await parseXml(page, body, ['link', 'guid', 'title']);
      expect(xml.error).toBeNull();
      expect(xml.root).toBe('rss');
      expect(xml.version).toBe('2.0');
      const links = xml.texts.link!.filter(Boolean); // <atom:link rel="self"> has an href, no text
      expectAbsolute(links, 'rss <link>');
      expect(links).toContain(absolute(`/articles/${known}`));
      expect(links[0]).toBe(absolute(base || '/'));
      expect(xml.hrefs).toContain(absolute(`${base}/rss.xml`));
      expectNoHidden(body, `${base}/rss.xml`);
    });

    test('Atom 1.0', async ({ page, request }) => {
      const body = await get(request, `${base}/atom.xml`, /^application\/atom\+xml/);
      const xml = await parseXml(page, body, ['id', 'title', 'updated']);
      expect(xml.error).toBeNull();
      expect(xml.root).toBe('feed');
      expect(xml.namespace).toBe('http://www.w3.org/2005/Atom');
      expectAbsolute(xml.hrefs, 'atom href');
      expectAbsolute(xml.texts.id!, 'atom <id>');
      expect(xml.hrefs).toContain(absolute(`/articles/${known}`));
      expect(xml.hrefs).toContain(absolute(`${base}/atom.xml`));
      expectNoHidden(body, `${base}/atom.xml`);
    });

    test('JSON Feed 1.1', async ({ request }) => {
      const body = await get(request, `${base}/feed.json`, /^application\/(feed\+)?json/);
      const feed = JSON.parse(body) as {
        version: string;
        title: string;
        home_page_url: string;
        feed_url: string;
        items: { id: string; url: string; title: string; content_html?: string; content_text?: string }[];
      };
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.title).toBeTruthy();
      expect(feed.feed_url).toBe(absolute(`${base}/feed.json`));
      expectAbsolute([feed.home_page_url, feed.feed_url, ...feed.items.map((i) => i.url)], 'feed.json URLs');
      expect(feed.items.length).toBeGreaterThan(0);
      for (const item of feed.items) {
        expect(item.id, 'every item has an id').toBeTruthy();
        expect(item.content_html ?? item.content_text, `${item.id} has content`).toBeTruthy();
      }
      expect(feed.items.map((i) => i.url)).toContain(absolute(`/articles/${known}`));
      expectNoHidden(body, `${base}/feed.json`);
    });
  });
}

test('an unknown topic has no feeds', async ({ request }) => {
  for (const feed of ['rss.xml', 'atom.xml', 'feed.json']) {
    expect((await request.get(`/topics/no-such-topic/${feed}`)).status(), feed).toBe(404);
  }
});

test('feeds pick up a new article and never list drafts or scheduled ones', async ({
  request,
  writeArticle,
}) => {
  const draft = await writeArticle({ topics: ['transport'], extra: 'draft: true\n' });
  const scheduled = await writeArticle({
    topics: ['transport'],
    publishedAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
  });
  const visible = await writeArticle({ topics: ['transport'] });
  for (const feed of ['/rss.xml', '/topics/transport/atom.xml', '/feed.json', '/sitemap.xml']) {
    await expect
      .poll(async () => (await request.get(feed)).text(), { message: `${feed} lists the new article` })
      .toContain(absolute(visible.url));
    const body = await (await request.get(feed)).text();
    expect(body, feed).not.toContain(draft.slug);
    expect(body, feed).not.toContain(scheduled.slug);
  }
});

test('sitemap.xml lists pages with absolute URLs, not drafts or scheduled articles', async ({
  page,
  request,
}) => {
  const body = await get(request, '/sitemap.xml', /^(application|text)\/xml/);
  const xml = await parseXml(page, body, ['loc']);
  expect(xml.error).toBeNull();
  expect(xml.root).toBe('urlset');
  expect(xml.namespace).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  const locs = xml.texts.loc!;
  expectAbsolute(locs, 'sitemap <loc>');
  for (const path of [
    '/',
    '/topics',
    `/topics/${LIVE_TOPIC}`,
    '/authors/maya-okafor',
    `/articles/${KNOWN.slug}`,
  ]) {
    expect(locs).toContain(absolute(path));
  }
  expectNoHidden(body, 'sitemap.xml');
});

test('robots.txt allows crawling and points at the sitemap', async ({ request }) => {
  const body = await get(request, '/robots.txt', /^text\/plain/);
  expect(body).toMatch(/^User-Agent: \*$/im);
  expect(body).toMatch(/^Allow: \/$/m);
  expect(body).toContain(`Sitemap: ${absolute('/sitemap.xml')}`);
});

test('manifest.webmanifest describes the app', async ({ request }) => {
  const body = await get(request, '/manifest.webmanifest', /^application\/manifest\+json/);
  const manifest = JSON.parse(body) as {
    name: string;
    start_url: string;
    display: string;
    icons: { src: string }[];
  };
  expect(manifest.name).toBe('Dispatch');
  expect(manifest.start_url).toBe('/');
  expect(manifest.display).toBeTruthy();
  expect(manifest.icons.length).toBeGreaterThan(0);
  expect((await request.get(manifest.icons[0]!.src)).status()).toBe(200);
});

test.describe('page metadata', () => {
  const pages = [
    '/',
    '/topics',
    `/topics/${LIVE_TOPIC}`,
    `/topics/${LIVE_TOPIC}/page/2`,
    '/topics/transport',
    `/articles/${KNOWN.slug}`,
    '/authors/maya-okafor',
    '/search?q=flood',
  ];
  for (const path of pages) {
    test(`${path} has a title, description, canonical URL, Open Graph and feed links`, async ({
      page,
      request,
    }) => {
      expect((await page.goto(path))?.status()).toBe(200);
      await expect(page).toHaveTitle(/\S/);
      const head = page.locator('head');
      await expect(head.locator('meta[name="description"]')).toHaveAttribute('content', /\S/);
      await expect(head.locator('link[rel="canonical"]')).toHaveCount(1);
      const canonical = await head.locator('link[rel="canonical"]').getAttribute('href');
      expect(new URL(canonical!).href).toBe(absolute(path.split('?')[0]!));
      await expect(head.locator('meta[property="og:title"]')).toHaveAttribute('content', /\S/);
      await expect(head.locator('meta[property="og:url"]')).toHaveAttribute('content', /^http/);
      for (const type of ['application/rss+xml', 'application/atom+xml', 'application/feed+json']) {
        const links = head.locator(`link[rel="alternate"][type="${type}"]`);
        await expect(links.first(), type).toBeAttached();
        for (const href of await links.evaluateAll((ls) => ls.map((l) => l.getAttribute('href') ?? ''))) {
          expect(href, type).toMatch(/^http/);
          expect((await request.get(href)).status(), href).toBe(200);
        }
      }
    });
  }

  test('a topic page advertises its own feeds first', async ({ page }) => {
    await page.goto('/topics/transport');
    await expect(
      page.locator('head link[rel="alternate"][type="application/rss+xml"]').first(),
    ).toHaveAttribute('href', absolute('/topics/transport/rss.xml'));
  });

  test('the 404 page is titled and kept out of search engines', async ({ page }) => {
    expect((await page.goto('/articles/no-such-article'))?.status()).toBe(404);
    await expect(page).toHaveTitle(/\S/);
    // Next adds its own `noindex` tag to a 404 besides ours (when depends on streaming): every
    // robots tag there is must say noindex.
    const robots = page.locator('head meta[name="robots"]');
    await expect(robots.first()).toHaveAttribute('content', /noindex/);
    for (const content of await robots.evaluateAll((tags) => tags.map((t) => t.getAttribute('content'))))
      expect(content).toMatch(/noindex/);
  });
});

test.describe('structured data', () => {
  const jsonLd = async (page: Page) =>
    (await page.locator('script[type="application/ld+json"]').allTextContents()).map(
      (text) => JSON.parse(text) as Record<string, unknown>,
    );

  test('an article carries NewsArticle', async ({ page }) => {
    await page.goto(`/articles/${KNOWN.slug}`);
    const article = (await jsonLd(page)).find((d) => d['@type'] === 'NewsArticle');
    expect(article).toBeDefined();
    expect(article).toMatchObject({
      '@context': 'https://schema.org',
      headline: KNOWN.title,
      datePublished: '2026-11-20T07:30:00Z',
      mainEntityOfPage: absolute(`/articles/${KNOWN.slug}`),
      author: [expect.objectContaining({ '@type': 'Person', name: 'Maya Okafor' })],
    });
    expect((article!.image as string[])[0]).toBe(absolute('/images/council-chamber.svg'));
  });

  test('a live topic carries LiveBlogPosting; a topic that is not live does not', async ({ page }) => {
    await page.goto(`/topics/${LIVE_TOPIC}`);
    const blog = (await jsonLd(page)).find((d) => d['@type'] === 'LiveBlogPosting');
    expect(blog).toBeDefined();
    expect(blog).toMatchObject({
      '@context': 'https://schema.org',
      headline: 'Northport Flood Updates',
      url: absolute(`/topics/${LIVE_TOPIC}`),
    });
    const updates = blog!.liveBlogUpdate as { '@type': string; url: string }[];
    expect(updates.length).toBeGreaterThan(0);
    expect(updates[0]).toMatchObject({ '@type': 'BlogPosting' });
    expectAbsolute(
      updates.map((u) => u.url),
      'liveBlogUpdate url',
    );

    await page.goto('/topics/transport');
    expect((await jsonLd(page)).some((d) => d['@type'] === 'LiveBlogPosting')).toBe(false);
  });
});

test.describe('security headers', () => {
  for (const path of [
    '/',
    `/articles/${KNOWN.slug}`,
    '/search?q=flood',
    '/rss.xml',
    '/feed.json',
    '/api/health',
    '/articles/no-such-article',
  ]) {
    test(`${path}`, async ({ request }) => {
      const response = await request.get(path);
      const headers = response.headers();
      const csp = headers['content-security-policy'];
      expect(csp, 'Content-Security-Policy').toBeTruthy();
      const directives = new Map(
        csp!.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name!, values.join(' ')];
        }),
      );
      expect(directives.get('object-src')).toBe("'none'");
      expect(directives.get('base-uri')).toBe("'none'");
      expect(directives.get('frame-ancestors')).toBe("'none'");
      expect(directives.get('form-action')).toBe("'self'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBeTruthy();
      expect(headers['cross-origin-opener-policy']).toBeTruthy();
      expect(headers['x-powered-by']).toBeUndefined();
    });
  }
});
