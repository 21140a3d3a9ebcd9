import 'server-only';
import type { Db } from '../db/client';
import type { ModerationAction, ReplyStatus } from '../db/schema';
import { getDb } from '../server';
import type { ReplyDto } from './dto';
import type { ReplyBlock } from './render';
import { EDIT_WINDOW_MS } from './schema';
import type { Actor } from './service';

// Reads return DTOs: names, never emails (SPEC §5). Each is one query, whatever the thread's size.
// Pages and routes read through the first three (the process's database); the db-taking reads
// below them serve actions that already hold one, and tests.

/** The article's replies as `viewer` may see them, and the published count (listReplies). */
export async function getReplies(article: string, viewer: Pick<Actor, 'id'> | null) {
  return listReplies(await getDb(), article, viewer);
}

/** Published replies per article, for article cards (countReplies). */
export async function getReplyCounts(articles: string[]): Promise<Record<string, number>> {
  return countReplies(await getDb(), articles);
}

/** What /moderation shows: the queues and the latest of the moderation log. Authorize first. */
export async function getModerationOverview() {
  const db = await getDb();
  const [queues, audit] = await Promise.all([listModerationQueues(db), listModerationLog(db)]);
  return { queues, audit };
}

const parseBlocks = (json: string): ReplyBlock[] => {
  try {
    return JSON.parse(json) as ReplyBlock[];
  } catch {
    return [];
  }
};
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type ThreadRow = {
  id: string;
  parent_id: string | null;
  answers_id: string | null;
  depth: number;
  author_id: string | null;
  author_name: string | null;
  body: string;
  rendered: string;
  status: ReplyStatus;
  created_at: number;
  edited_at: number | null;
};

/**
 * The article's replies as `viewer` may see them, oldest first: published ones; their own pending
 * ones; and placeholders for deleted, removed or hidden replies that still have visible answers.
 */
export async function listReplies(
  db: Db,
  article: string,
  viewer: Pick<Actor, 'id'> | null,
  now = Date.now(),
): Promise<{ count: number; replies: ReplyDto[] }> {
  const rows: ThreadRow[] = await db
    .selectFrom('replies as r')
    .leftJoin('users as u', 'u.id', 'r.author_id')
    .select([
      'r.id',
      'r.parent_id',
      'r.answers_id',
      'r.depth',
      'r.author_id',
      'u.name as author_name',
      'r.body',
      'r.rendered',
      'r.status',
      'r.created_at',
      'r.edited_at',
    ])
    .where('r.article', '=', article)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return {
    count: rows.filter((r) => r.status === 'published').length,
    replies: threadView(rows, viewer?.id ?? null, now),
  };
}

/** Pure: which rows a viewer sees, and how. Exported for tests. */
function threadView(rows: ThreadRow[], viewerId: string | null, now: number): ReplyDto[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const shown = (r: ThreadRow) =>
    r.status === 'published' || (r.status === 'pending' && r.author_id === viewerId);
  // A gone reply stays as a placeholder while something shown hangs below it (depth ≤ 3: cheap).
  const keep = new Set<string>();
  for (const r of rows) {
    if (!shown(r)) continue;
    keep.add(r.id);
    for (
      let up = r.parent_id ? byId.get(r.parent_id) : undefined;
      up;
      up = up.parent_id ? byId.get(up.parent_id) : undefined
    )
      keep.add(up.id);
  }
  const answered = new Set<string>();
  for (const r of rows) {
    if (r.status === 'deleted' || r.status === 'removed') continue;
    if (r.answers_id) answered.add(r.answers_id);
    if (r.parent_id) answered.add(r.parent_id);
  }
  return rows
    .filter((r) => keep.has(r.id))
    .map((r): ReplyDto => {
      const visible = shown(r);
      const mine = visible && viewerId !== null && r.author_id === viewerId;
      const answersRow = r.answers_id && r.answers_id !== r.parent_id ? byId.get(r.answers_id) : undefined;
      const editableUntil = r.created_at + EDIT_WINDOW_MS;
      return {
        id: r.id,
        parentId: r.parent_id,
        depth: r.depth,
        answersName: answersRow && shown(answersRow) ? (answersRow.author_name ?? 'a former reader') : null,
        author: visible ? { name: r.author_name ?? 'A former reader' } : null,
        blocks: visible ? parseBlocks(r.rendered) : [],
        state: visible ? (r.status === 'pending' ? 'pending' : 'published') : 'placeholder',
        gone: visible ? undefined : r.status === 'deleted' || r.status === 'removed' ? r.status : 'hidden',
        createdAt: iso(r.created_at)!,
        editedAt: visible ? iso(r.edited_at) : null,
        mine,
        source: mine ? r.body : undefined,
        editableUntil: mine && !answered.has(r.id) && now < editableUntil ? iso(editableUntil) : null,
        answered: answered.has(r.id),
      };
    });
}

/** Published replies per article, for article cards: one grouped query. */
export async function countReplies(db: Db, articles: string[]): Promise<Record<string, number>> {
  if (articles.length === 0) return {};
  const rows = await db
    .selectFrom('replies')
    .select(['article', db.fn.countAll<number>().as('n')])
    .where('article', 'in', articles)
    .where('status', '=', 'published')
    .groupBy('article')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.article, Number(r.n)]));
}

export type QueueItem = {
  id: string;
  article: string;
  authorName: string;
  body: string;
  status: ReplyStatus;
  createdAt: string;
  reports: { reason: string; at: string }[];
};

/** The moderation queues: pending, reported (open reports, with reasons) and hidden replies. */
export async function listModerationQueues(db: Db, limit = 100) {
  const base = db
    .selectFrom('replies as r')
    .leftJoin('users as u', 'u.id', 'r.author_id')
    .select(['r.id', 'r.article', 'u.name as author_name', 'r.body', 'r.status', 'r.created_at']);
  const [pending, hidden, reports] = await Promise.all([
    base.where('r.status', '=', 'pending').orderBy('r.created_at').limit(limit).execute(),
    base.where('r.status', '=', 'hidden').orderBy('r.updated_at', 'desc').limit(limit).execute(),
    db
      .selectFrom('reply_reports as rr')
      .innerJoin('replies as r', 'r.id', 'rr.reply_id')
      .leftJoin('users as u', 'u.id', 'r.author_id')
      .select([
        'r.id',
        'r.article',
        'u.name as author_name',
        'r.body',
        'r.status',
        'r.created_at',
        'rr.reason',
        'rr.created_at as reported_at',
      ])
      .where('rr.resolved_at', 'is', null)
      .where('r.status', '=', 'published')
      .orderBy('rr.created_at')
      .limit(limit * 5)
      .execute(),
  ]);
  const item = (r: (typeof pending)[number]): QueueItem => ({
    id: r.id,
    article: r.article,
    authorName: r.author_name ?? 'A former reader',
    body: r.body,
    status: r.status,
    createdAt: iso(r.created_at)!,
    reports: [],
  });
  const reported = new Map<string, QueueItem>();
  for (const r of reports) {
    const entry = reported.get(r.id) ?? item(r);
    entry.reports.push({ reason: r.reason, at: iso(r.reported_at)! });
    reported.set(r.id, entry);
  }
  return {
    pending: pending.map(item),
    reported: [...reported.values()].slice(0, limit),
    hidden: hidden.map(item),
  };
}

export type AuditEntry = {
  id: string;
  actor: string;
  action: ModerationAction;
  replyId: string;
  reason: string;
  at: string;
};

export async function listModerationLog(db: Db, limit = 50): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('moderation_log')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actor: r.actor_name,
    action: r.action,
    replyId: r.reply_id,
    reason: r.reason,
    at: iso(r.created_at)!,
  }));
}
