import 'server-only';
import { createHash } from 'node:crypto';
import { cache } from 'react';
import { toStreamItem, type TopicStreamData } from './dto';
import { getContentStore } from '../server';
import type { Article, Author, Topic } from './model';
import { snippet } from './search';
import type { ContentStore } from './store';
import { topicIndex, type TopicIndex } from './topic-index';

/** Items per page on topic and author pages. */
const PAGE_SIZE = 20;

export type Page<T> = { items: T[]; page: number; pages: number; total: number };

/** A `/page/<n>` route segment as a page number, or null when it isn't one. */
export const parsePageParam = (segment: string) =>
  /^[1-9][0-9]{0,5}$/.test(segment) ? Number(segment) : null;

function paginate<T>(all: readonly T[], page: number): Page<T> | null {
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  if (!Number.isInteger(page) || page < 1 || page > pages) return null;
  return { items: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), page, pages, total: all.length };
}

function visibleArticles(store: ContentStore, now = Date.now()): Article[] {
  return store.snapshot.byDate.filter((a) => store.isVisible(a, now));
}

export type FrontPage = {
  live: { topic: Topic; latest: Article[] }[];
  latest: Article[];
  keyEvents: Article[];
  topics: readonly Topic[];
};

export async function getFrontPage(): Promise<FrontPage> {
  const store = await getContentStore();
  const visible = visibleArticles(store);
  const topics = store.snapshot.topicList;
  const live = topics
    .filter((t) => t.live)
    .map((topic) => ({ topic, latest: visible.filter((a) => a.topics.includes(topic.slug)).slice(0, 3) }));
  return {
    live,
    latest: visible.filter((a) => a.kind === 'article').slice(0, 12),
    keyEvents: visible.filter((a) => a.keyEvent).slice(0, 8),
    topics,
  };
}

export type TopicSummary = { topic: Topic; count: number; lastPublishedAt: string | null };

export async function listTopics(): Promise<TopicSummary[]> {
  const store = await getContentStore();
  const visible = visibleArticles(store);
  return store.snapshot.topicList.map((topic) => {
    const mine = visible.filter((a) => a.topics.includes(topic.slug));
    return { topic, count: mine.length, lastPublishedAt: mine[0]?.publishedAt ?? null };
  });
}

export type TopicStream = {
  topic: Topic;
  stream: Page<Article>;
  keyEvents: Article[];
  startedAt: string | null;
};

/** A topic's stream: pinned first, then newest first. Null for an unknown topic or page.
 * Memoized per request: the page and its metadata ask for the same thing. */
export const getTopicStream = cache(async (slug: string, page = 1): Promise<TopicStream | null> => {
  const store = await getContentStore();
  const topic = store.snapshot.topics.get(slug);
  if (!topic) return null;
  const mine = visibleArticles(store).filter((a) => a.topics.includes(slug));
  const ordered = [...mine.filter((a) => a.pinned), ...mine.filter((a) => !a.pinned)];
  const stream = paginate(ordered, page);
  if (!stream) return null;
  return {
    topic,
    stream,
    keyEvents: mine.filter((a) => a.keyEvent),
    startedAt: mine.at(-1)?.publishedAt ?? null,
  };
});

export type ArticleView = { article: Article; topics: Topic[]; authors: Author[] };

export const getArticle = cache(async (slug: string): Promise<ArticleView | null> => {
  const store = await getContentStore();
  const article = store.snapshot.articles.get(slug);
  if (!article || !store.isVisible(article)) return null;
  const { topics, authors } = store.snapshot;
  return {
    article,
    topics: article.topics.map((t) => topics.get(t)!),
    authors: article.authors.map((a) => authors.get(a)!),
  };
});

/** Titles of the visible articles among `slugs` (notifications name what they are about). */
export async function getArticleTitles(slugs: string[]): Promise<ReadonlyMap<string, string>> {
  const store = await getContentStore();
  const titles = new Map<string, string>();
  for (const slug of slugs) {
    const article = store.snapshot.articles.get(slug);
    if (article && store.isVisible(article)) titles.set(slug, article.title);
  }
  return titles;
}

/** Whether a topic of that slug exists (its articles need not be out yet). */
export async function topicExists(slug: string): Promise<boolean> {
  return (await getContentStore()).snapshot.topics.has(slug);
}

/**
 * The topics and each one's articles newest first, with where the visible ones start: the store's
 * precomputed lists, for reads over a few topics (a reader's /following) that must not cost the
 * whole archive.
 */
export async function getTopicIndex(now = Date.now()): Promise<TopicIndex> {
  const store = await getContentStore();
  const { topics, byTopic } = store.snapshot;
  return topicIndex(topics, byTopic, (a) => store.isVisible(a, now));
}

/** Authors by slug, for bylines on lists. */
export async function getAuthorNames(): Promise<ReadonlyMap<string, Author>> {
  return (await getContentStore()).snapshot.authors;
}

export type AuthorPage = { author: Author; articles: Page<Article> };

export const getAuthorPage = cache(async (slug: string, page = 1): Promise<AuthorPage | null> => {
  const store = await getContentStore();
  const author = store.snapshot.authors.get(slug);
  if (!author) return null;
  const articles = paginate(
    visibleArticles(store).filter((a) => a.authors.includes(slug)),
    page,
  );
  return articles && { author, articles };
});

export type SearchResult = { article: Article; snippet: { text: string; match: boolean }[] };

export async function searchArticles(query: string): Promise<SearchResult[]> {
  const store = await getContentStore();
  const now = Date.now();
  return store.search
    .search(query, (a) => store.isVisible(a, now))
    .map((hit) => ({
      article: hit.article,
      snippet: snippet(`${hit.article.summary} ${hit.article.text}`, hit.terms),
    }));
}

/** Newest visible articles for feeds: the whole site, or one topic (null if unknown). */
export async function listFeedArticles(
  topicSlug?: string,
  limit = 50,
): Promise<{ topic: Topic | null; articles: Article[] } | null> {
  const store = await getContentStore();
  const topic = topicSlug ? store.snapshot.topics.get(topicSlug) : undefined;
  if (topicSlug && !topic) return null;
  const visible = visibleArticles(store);
  const articles = (topic ? visible.filter((a) => a.topics.includes(topic.slug)) : visible).slice(0, limit);
  return { topic: topic ?? null, articles };
}

/** Newest visible articles in any of `topics`, for a reader's private feed. */
export async function listFeedArticlesOfTopics(topics: Iterable<string>, limit = 50): Promise<Article[]> {
  const store = await getContentStore();
  const wanted = new Set(topics);
  if (wanted.size === 0) return [];
  const now = Date.now();
  const articles: Article[] = [];
  for (const a of store.snapshot.byDate) {
    if (articles.length >= limit) break;
    if (a.topics.some((t) => wanted.has(t)) && store.isVisible(a, now)) articles.push(a);
  }
  return articles;
}

export async function listSitemap() {
  const store = await getContentStore();
  return {
    articles: visibleArticles(store),
    topics: store.snapshot.topicList,
    authors: [...store.snapshot.authors.values()],
  };
}

/** A topic stream page as browser data, its JSON and ETag (the live stream's query and its polling fallback). */
export function toTopicStreamData({ topic, stream }: TopicStream): {
  data: TopicStreamData;
  json: string;
  etag: string;
} {
  const data: TopicStreamData = {
    topic: { slug: topic.slug, title: topic.title, live: topic.live },
    items: stream.items.map(toStreamItem),
    page: stream.page,
    pages: stream.pages,
  };
  const json = JSON.stringify(data);
  return { data, json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` };
}
