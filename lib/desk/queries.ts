import 'server-only';
import type { ContentError } from '../content/load';
import { getContentStore, getDb, getDeskFiles } from '../server';
import type { DeskEntry, EntryStatus } from './dto';
import type { HistoryEntry, TrashedFile } from './files';
import { listEntries } from './service';

// /desk's reads. The page checks the editor role itself before calling any of these.

export type DeskFilters = { topic?: string; author?: string; status?: EntryStatus | 'error' };

export type DeskLogEntry = { id: string; userName: string; action: string; file: string; detail: string; at: string };

export type DeskOverview = {
  entries: DeskEntry[];
  total: number;
  errors: readonly ContentError[];
  topics: { slug: string; title: string; live: boolean }[];
  authors: { slug: string; name: string }[];
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
    topics: store.snapshot.topicList.map((t) => ({ slug: t.slug, title: t.title, live: t.live })),
    authors: [...store.snapshot.authors.values()].map((a) => ({ slug: a.slug, name: a.name })),
    trash,
    log: rows.map(toLogEntry),
  };
}

/** A piece's history from git (empty when CONTENT_DIR is not a repository) and from the desk's log. */
export async function getEntryHistory(slug: string): Promise<{ file: string; commits: HistoryEntry[]; log: DeskLogEntry[] } | null> {
  const [store, db] = await Promise.all([getContentStore(), getDb()]);
  const file = store.snapshot.claims.get(`article:${slug}`);
  if (!file) return null;
  const [commits, rows] = await Promise.all([
    getDeskFiles().history(file),
    db.selectFrom('desk_log').selectAll().where('file', '=', file).orderBy('created_at', 'desc').limit(50).execute(),
  ]);
  return {
    file,
    commits,
    log: rows.map(toLogEntry),
  };
}

type LogRow = { id: string; user_name: string; action: string; file: string; detail: string; created_at: number };
const toLogEntry = (r: LogRow): DeskLogEntry => ({
  id: r.id,
  userName: r.user_name,
  action: r.action,
  file: r.file,
  detail: r.detail,
  at: new Date(r.created_at).toISOString(),
});
