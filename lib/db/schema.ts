import type { Generated, Selectable } from 'kysely';

/**
 * The database, as Kysely sees it. One schema and one set of queries for SQLite and PostgreSQL
 * (docs/decisions/006-data-layer.md). Times are epoch milliseconds (bigint in PostgreSQL,
 * integer in SQLite), ids are random text, booleans are 0/1 integers: the types both speak alike.
 */
export type Role = 'reader' | 'moderator' | 'editor' | 'admin';

interface UsersTable {
  id: string;
  /** Canonical form: NFKC, trimmed, lower-case; unique. Never shown to other readers. */
  email: string;
  name: string;
  password_hash: string | null;
  role: Role;
  /** Bumped to end every session of the user (sign out everywhere, password or role change). */
  token_version: Generated<number>;
  email_verified: Generated<number>;
  /** 1 when the reader asked for an email when someone replies to them. */
  notify_email: Generated<number>;
  last_reply_at: number | null;
  /** The secret in the reader's private feed URLs; null until first asked for. */
  feed_token: string | null;
  /** Editors: the author file (content/authors/<slug>.mdx) that is their byline on the desk. */
  author_slug: string | null;
  created_at: number;
  updated_at: number;
}

interface AccountsTable {
  provider: string;
  provider_account_id: string;
  user_id: string;
  created_at: number;
}

interface MagicLinksTable {
  /** SHA-256 of the token: a leaked table can't be replayed. */
  token_hash: string;
  email: string;
  callback_url: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

/** `deleted` by its author, `removed` by a moderator (both keep a placeholder when answered). */
export type ReplyStatus = 'published' | 'pending' | 'hidden' | 'deleted' | 'removed';

export interface RepliesTable {
  id: string;
  article: string;
  /** Where it sits in the thread (at most depth 3) … */
  parent_id: string | null;
  /** … and whom it answers (differs from the parent below depth 3). */
  answers_id: string | null;
  depth: number;
  author_id: string | null;
  /** What the reader wrote, verbatim (SECURITY P16). */
  body: string;
  /** JSON of the light-Markdown tree (lib/replies/render.ts), made once when written. */
  rendered: string;
  dedupe_key: string;
  status: ReplyStatus;
  created_at: number;
  edited_at: number | null;
  updated_at: number;
}

interface ReplyReportsTable {
  reply_id: string;
  reporter_id: string;
  reason: string;
  created_at: number;
  resolved_at: number | null;
}

export type ModerationAction = 'approve' | 'hide' | 'restore' | 'remove' | 'dismiss';

interface ModerationLogTable {
  id: string;
  actor_id: string | null;
  actor_name: string;
  reply_id: string;
  action: ModerationAction;
  reason: string;
  created_at: number;
}

export type FollowLevel = 'all' | 'key' | 'none';

interface FollowsTable {
  user_id: string;
  topic: string;
  level: FollowLevel;
  /** Newest publication time (epoch ms) the reader has seen in the topic: the unread cursor. */
  seen_until: number;
  created_at: number;
}

interface PushSubscriptionsTable {
  endpoint: string;
  user_id: string;
  p256dh: string;
  auth: string;
  created_at: number;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  /** `reply`: someone answered the reader; `update`/`key_event`: news in a followed topic. */
  kind: 'reply' | 'update' | 'key_event';
  /** One content notification per reader and article, whichever instance writes it first. */
  dedupe: string | null;
  article: string;
  reply_id: string | null;
  actor_name: string | null;
  created_at: number;
  read_at: number | null;
}

/** A signed-in browser; its JWT carries the id. Deleted on sign-out (SECURITY P11). */
interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

interface DeskLogTable {
  id: string;
  user_id: string;
  user_name: string;
  /** publish, schedule, draft, save, edit, pin, unpin, key-event, delete, restore, topic, live, upload */
  action: string;
  /** The content path acted on (CONTENT_DIR-relative), or the media path of an upload. */
  file: string;
  detail: string;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  accounts: AccountsTable;
  magic_links: MagicLinksTable;
  replies: RepliesTable;
  reply_reports: ReplyReportsTable;
  moderation_log: ModerationLogTable;
  notifications: NotificationsTable;
  follows: FollowsTable;
  push_subscriptions: PushSubscriptionsTable;
  sessions: SessionsTable;
  desk_log: DeskLogTable;
}

export type User = Selectable<UsersTable>;
