import { createHash } from 'node:crypto';
import type { ArticleFile, AuthorFile, ContentError, LoadResult, TopicFile } from './load';
import type { Article, Author, Topic } from './model';

/** One immutable view of all content. The store swaps whole snapshots, never edits one. */
export type Snapshot = {
  topics: ReadonlyMap<string, Topic>;
  /** Navigation order: `order` first, then title. */
  topicList: readonly Topic[];
  authors: ReadonlyMap<string, Author>;
  articles: ReadonlyMap<string, Article>;
  /** Every article, newest first (scheduled ones included: visibility is decided per read). */
  byDate: readonly Article[];
  /** Each topic's articles, newest first (as byDate): per-reader views read only what they follow. */
  byTopic: ReadonlyMap<string, readonly Article[]>;
  errors: readonly ContentError[];
  /** `<kind>:<slug>` → the file that holds it, drafts included (the desk keeps slugs unique). */
  claims: ReadonlyMap<string, string>;
};

export const emptySnapshot: Snapshot = {
  topics: new Map(),
  topicList: [],
  authors: new Map(),
  articles: new Map(),
  byDate: [],
  byTopic: new Map(),
  errors: [],
  claims: new Map(),
};

const WORDS_PER_MINUTE = 230;

function clip(text: string, max: number) {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return cut.slice(0, cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : cut.length) + '…';
}

// Article objects are derived once per parsed file, so an unchanged file keeps the same object
// across snapshots; the store relies on that identity to update search incrementally.
const articleCache = new WeakMap<ArticleFile, Article>();

function toArticle(f: ArticleFile): Article {
  const cached = articleCache.get(f);
  if (cached) return cached;
  const m = f.meta;
  const article: Article = {
    slug: f.slug,
    file: f.file,
    title: m.title,
    kind: m.kind,
    topics: [...new Set(m.topics)],
    authors: [...new Set(m.authors ?? [])],
    publishedAt: m.publishedAt,
    published: Date.parse(m.publishedAt),
    updatedAt: m.updatedAt ?? null,
    summary: m.summary ?? clip(f.body.firstParagraph, 400),
    image: m.image ?? null,
    keyEvent: m.keyEvent,
    pinned: m.pinned,
    draft: m.draft,
    replies: m.replies,
    correction: m.correction ?? null,
    body: f.body.html,
    text: f.body.text,
    readingMinutes: Math.max(1, Math.round(f.body.words / WORDS_PER_MINUTE)),
    version: createHash('sha1')
      .update(JSON.stringify(m))
      .update(f.body.html)
      .digest('base64url')
      .slice(0, 16),
  };
  articleCache.set(f, article);
  return article;
}

const toTopic = (f: TopicFile): Topic => ({
  slug: f.slug,
  file: f.file,
  title: f.meta.title,
  description: f.meta.description,
  live: f.meta.live,
  order: f.meta.order ?? null,
  intro: f.body?.html ?? null,
});

const toAuthor = (f: AuthorFile): Author => ({
  slug: f.slug,
  file: f.file,
  name: f.meta.name,
  role: f.meta.role ?? null,
  avatar: f.meta.avatar ?? null,
  bio: f.body?.html ?? null,
});

/**
 * Builds a snapshot from every file's parse result: checks what needs other files (unique slugs,
 * known topics and authors) and leaves out what fails. Linear in the number of files.
 */
export function assemble(
  results: ReadonlyMap<string, LoadResult>,
  options: { includeDrafts: boolean },
): Snapshot {
  const errors: ContentError[] = [];
  const topics = new Map<string, Topic>();
  const authors = new Map<string, Author>();
  const articleFiles = new Map<string, ArticleFile>();
  const seen = new Map<string, string>(); // kind:slug → file that claimed it first

  const files = [...results.keys()].sort();
  for (const key of files) {
    const result = results.get(key)!;
    if (!result.ok) {
      errors.push(result.error);
      continue;
    }
    const f = result.file;
    const first = seen.get(`${f.kind}:${f.slug}`);
    if (first) {
      errors.push(duplicateError(f, first));
      continue;
    }
    seen.set(`${f.kind}:${f.slug}`, f.file);
    if (f.kind === 'topic') topics.set(f.slug, toTopic(f));
    else if (f.kind === 'author') authors.set(f.slug, toAuthor(f));
    else articleFiles.set(f.slug, f);
  }

  const articles = new Map<string, Article>();
  for (const f of articleFiles.values()) {
    const unknown = referenceError(f, topics, authors);
    if (unknown) {
      errors.push(unknown);
      continue;
    }
    if (f.meta.draft && !options.includeDrafts) continue;
    articles.set(f.slug, toArticle(f));
  }

  const byDate = [...articles.values()].sort(
    (a, b) => b.published - a.published || a.slug.localeCompare(b.slug),
  );
  const topicList = [...topics.values()].sort(
    (a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.title.localeCompare(b.title),
  );
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const byTopic = new Map<string, Article[]>([...topics.keys()].map((t) => [t, []]));
  for (const a of byDate) for (const t of a.topics) byTopic.get(t)?.push(a);
  return { topics, topicList, authors, articles, byDate, byTopic, errors, claims: seen };
}

/** A second file claiming a slug of its kind (SPEC §2): the error names both. */
export const duplicateError = (
  f: { file: string; kind: string; slug: string },
  first: string,
): ContentError => ({
  file: f.file,
  line: 1,
  reason: `duplicate ${f.kind} slug "${f.slug}": ${first} already uses it`,
});

/** An article naming a topic or an author that has no file, or null. */
export function referenceError(
  f: ArticleFile,
  topics: ReadonlyMap<string, unknown>,
  authors: ReadonlyMap<string, unknown>,
): ContentError | null {
  const unknownTopic = f.meta.topics.find((t) => !topics.has(t));
  if (unknownTopic)
    return {
      file: f.file,
      line: f.lines.topics,
      reason: `unknown topic "${unknownTopic}" (no topics/${unknownTopic}.mdx)`,
    };
  const unknownAuthor = f.meta.authors?.find((a) => !authors.has(a));
  if (unknownAuthor)
    return {
      file: f.file,
      line: f.lines.authors,
      reason: `unknown author "${unknownAuthor}" (no authors/${unknownAuthor}.mdx)`,
    };
  return null;
}
