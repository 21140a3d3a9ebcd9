import { Feed } from 'feed';
import type { Article, Author, Topic } from '../content/model';
import { config } from '../env';
import { absoluteUrl, feedPaths } from '../seo/metadata';

export type FeedFormat = 'rss' | 'atom' | 'json';

const contentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

type FeedInput = {
  topic: Topic | null;
  articles: Article[];
  authors: ReadonlyMap<string, Author>;
  /** A reader's private feed names itself, not a topic or the site. */
  personal?: { title: string; paths: { rss: string; atom: string; json: string } };
};

/** Title, description, home page and self links of a feed. */
function identityOf({ topic, personal }: FeedInput) {
  return {
    title: personal?.title ?? (topic ? `${topic.title} · ${config.SITE_NAME}` : config.SITE_NAME),
    description: personal
      ? 'New in the topics you follow.'
      : (topic?.description ?? 'Live news and reporting.'),
    home: absoluteUrl(personal ? '/following' : topic ? `/topics/${topic.slug}` : '/'),
    paths: personal?.paths ?? feedPaths(topic?.slug),
  };
}

/** Builds one feed (the whole site, or one topic) in RSS 2.0, Atom 1.0 or JSON Feed 1.1. */
export function buildFeed(input: FeedInput, format: FeedFormat): string {
  const { articles, authors } = input;
  const { title, description, home, paths } = identityOf(input);
  const updated = articles.reduce((max, a) => Math.max(max, Date.parse(a.updatedAt ?? a.publishedAt)), 0);
  const feed = new Feed({
    title,
    description,
    id: home,
    link: home,
    language: 'en',
    favicon: absoluteUrl('/icon.svg'),
    copyright: `© ${config.SITE_NAME}`,
    updated: updated ? new Date(updated) : new Date(0),
    generator: config.SITE_NAME,
    feedLinks: { rss: absoluteUrl(paths.rss), atom: absoluteUrl(paths.atom), json: absoluteUrl(paths.json) },
  });
  for (const a of articles) {
    const url = absoluteUrl(`/articles/${a.slug}`);
    feed.addItem({
      title: a.title,
      id: url,
      link: url,
      description: a.summary,
      content: a.kind === 'update' ? a.text : undefined,
      date: new Date(a.updatedAt ?? a.publishedAt),
      published: new Date(a.publishedAt),
      author: bylineOf(a, authors).map(({ name, url }) => ({ name, link: url })),
      category: a.topics.map((t) => ({ name: t, term: t })),
      image: a.image ? { url: absoluteUrl(a.image.src), type: imageType(a.image.src) } : undefined,
    });
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : jsonFeed(input);
}

/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1). `feed` 6 only writes version 1 (one `author`,
 * no `date_published`), and the format is plain JSON, so we write it from the same data.
 */
function jsonFeed(input: FeedInput): string {
  const { articles, authors } = input;
  const { title, description, home, paths } = identityOf(input);
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    description,
    home_page_url: home,
    feed_url: absoluteUrl(paths.json),
    language: 'en',
    favicon: absoluteUrl('/icon.svg'),
    items: articles.map((a) => {
      const url = absoluteUrl(`/articles/${a.slug}`);
      return {
        id: url,
        url,
        title: a.title,
        summary: a.summary,
        content_text: a.kind === 'update' ? a.text : a.summary,
        date_published: new Date(a.publishedAt).toISOString(),
        date_modified: a.updatedAt ? new Date(a.updatedAt).toISOString() : undefined,
        image: a.image ? absoluteUrl(a.image.src) : undefined,
        tags: a.topics,
        // JSON Feed 1.1: when present, `authors` holds at least one author.
        authors: a.authors.length > 0 ? bylineOf(a, authors) : undefined,
      };
    }),
  });
}

function bylineOf(article: Article, authors: ReadonlyMap<string, Author>) {
  return article.authors
    .map((slug) => authors.get(slug))
    .filter((x): x is Author => Boolean(x))
    .map((x) => ({ name: x.name, url: absoluteUrl(`/authors/${x.slug}`) }));
}

const imageTypes: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};
const imageType = (src: string) =>
  imageTypes[src.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

export function feedResponse(body: string, format: FeedFormat, personal = false): Response {
  return new Response(body, {
    headers: {
      'content-type': contentTypes[format],
      // A private feed is the reader's own: no shared caches, no search engines.
      ...(personal
        ? { 'cache-control': 'private, max-age=60', 'x-robots-tag': 'noindex' }
        : { 'cache-control': 'public, max-age=60' }),
    },
  });
}
