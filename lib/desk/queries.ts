import 'server-only';
import type { ContentError } from '../content/load';
import type { ContentStore } from '../content/store';
import { getContentStore, getDb, getDeskFiles } from '../server';
import type { DeskEntry, EntryStatus } from './dto';
import type { HistoryEntry, TrashedFile } from './files';
import { listEntries } from './service';
import { splitSource } from './source';

// /desk's reads. The page checks the editor role itself before calling any of these.

export type DeskFilters = { topic?: string; author?: string; status?: EntryStatus | 'error' };

export type DeskLogEntry = {
  id: string;
  userName: string;
  action: string;
  file: string;
  detail: string;
  at: string;
};

/** The topics and authors an editor chooses from. */
export type DeskChoices = {
  topics: { slug: string; title: string; live: boolean }[];
  authors: { slug: string; name: string }[];
};

export type DeskOverview = DeskChoices & {
  entries: DeskEntry[];
  total: number;
  errors: readonly ContentError[];
  trash: TrashedFile[];
  log: DeskLogEntry[];
};

const LIST_LIMIT = 200;

/** Everything /desk shows: the filtered list (newest first, the first 200), errors, topics, trash, the log. */
export async function getDeskOverview(filters: DeskFilters): Promise<DeskOverview> {
  const [store, db] = await Promise.all([getContentStore(), getDb()]);
  const { status, ...rest } = filters;
  const all = status === 'error' ? [] : listEntries(store, { ...rest, status }, Date.now());
  const [trash, rows] = await Promise.all([
    getDeskFiles().listTrash(),
    db.selectFrom('desk_log').selectAll().orderBy('created_at', 'desc').limit(50).execute(),
  ]);
  return {
    entries: all.slice(0, LIST_LIMIT),
    total: all.length,
    errors: !status || status === 'error' ? store.snapshot.errors : [],
    ...choicesOf(store),
    trash,
    log: rows.map(toLogEntry),
  };
}

const choicesOf = (store: ContentStore): DeskChoices => ({
  topics: store.snapshot.topicList.map((t) => ({ slug: t.slug, title: t.title, live: t.live })),
  authors: [...store.snapshot.authors.values()].map((a) => ({ slug: a.slug, name: a.name })),
});

/** The topics and authors for the long-article form. */
export async function getDeskChoices(): Promise<DeskChoices> {
  return choicesOf(await getContentStore());
}

/** What the long-article form shows for an existing article: every frontmatter field of SPEC §2 and the body. */
export type ArticleFormValues = {
  slug: string;
  file: string;
  /** The file as read now: a save with it is refused if the file changed meanwhile. */
  fingerprint: string;
  title: string;
  kind: 'article' | 'update';
  topics: string[];
  authors: string[];
  publishedAt: string;
  summary: string;
  image: { src: string; alt: string; caption: string; credit: string };
  keyEvent: boolean;
  pinned: boolean;
  draft: boolean;
  replies: 'open' | 'closed';
  correction: string;
  body: string;
};

/** An article's file as the long form edits it; null when there is none (or no frontmatter the desk can read). */
export async function getArticleForm(slug: string): Promise<ArticleFormValues | null> {
  const file = (await getContentStore()).snapshot.claims.get(`article:${slug}`);
  if (!file) return null;
  const version = await getDeskFiles().read(file);
  const split = version && splitSource(version.source);
  if (!version || !split) return null;
  const m = split.meta;
  const image = (m.image ?? {}) as Record<string, unknown>;
  return {
    slug,
    file,
    fingerprint: version.fingerprint,
    title: text(m.title),
    kind: m.kind === 'update' ? 'update' : 'article',
    topics: texts(m.topics),
    authors: texts(m.authors),
    publishedAt: m.publishedAt instanceof Date ? m.publishedAt.toISOString() : text(m.publishedAt),
    summary: text(m.summary),
    image: {
      src: text(image.src),
      alt: text(image.alt),
      caption: text(image.caption),
      credit: text(image.credit),
    },
    keyEvent: m.keyEvent === true,
    pinned: m.pinned === true,
    draft: m.draft === true,
    replies: m.replies === 'closed' ? 'closed' : 'open',
    correction: text(m.correction),
    body: split.body,
  };
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const texts = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A piece's history from git (empty when CONTENT_DIR is not a repository) and from the desk's log. */
export async function getEntryHistory(
  slug: string,
): Promise<{ file: string; commits: HistoryEntry[]; log: DeskLogEntry[] } | null> {
  const [store, db] = await Promise.all([getContentStore(), getDb()]);
  const file = store.snapshot.claims.get(`article:${slug}`);
  if (!file) return null;
  const [commits, rows] = await Promise.all([
    getDeskFiles().history(file),
    db
      .selectFrom('desk_log')
      .selectAll()
      .where('file', '=', file)
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute(),
  ]);
  return {
    file,
    commits,
    log: rows.map(toLogEntry),
  };
}

type LogRow = {
  id: string;
  user_name: string;
  action: string;
  file: string;
  detail: string;
  created_at: number;
};
const toLogEntry = (r: LogRow): DeskLogEntry => ({
  id: r.id,
  userName: r.user_name,
  action: r.action,
  file: r.file,
  detail: r.detail,
  at: new Date(r.created_at).toISOString(),
});
