import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import type { FollowLevel } from '../db/schema';

// Following topics: the rules, plain TypeScript over the database (no Next, no content store).

export type Follow = { topic: string; level: FollowLevel; seenUntil: number };

/** Follows a topic; following again changes nothing. Items already out are not "new". */
export async function followTopic(db: Db, userId: string, topic: string, now = Date.now()) {
  await db
    .insertInto('follows')
    .values({ user_id: userId, topic, level: 'all', seen_until: now, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'topic']).doNothing())
    .execute();
}

export async function unfollowTopic(db: Db, userId: string, topic: string) {
  await db.deleteFrom('follows').where('user_id', '=', userId).where('topic', '=', topic).execute();
}

/** Returns false when the reader does not follow the topic. */
export async function setFollowLevel(db: Db, userId: string, topic: string, level: FollowLevel) {
  const r = await db
    .updateTable('follows')
    .set({ level })
    .where('user_id', '=', userId)
    .where('topic', '=', topic)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function listFollows(db: Db, userId: string): Promise<Follow[]> {
  const rows = await db
    .selectFrom('follows')
    .select(['topic', 'level', 'seen_until'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ topic: r.topic, level: r.level, seenUntil: Number(r.seen_until) }));
}

/**
 * Moves the reader's cursors forward to what they actually saw: per topic, the newest
 * publication time on screen. Never backwards, so an old tab can't undo a newer device's reading.
 */
export async function markSeen(db: Db, userId: string, seen: Record<string, number>) {
  await Promise.all(
    Object.entries(seen).map(([topic, until]) =>
      db
        .updateTable('follows')
        .set({ seen_until: until })
        .where('user_id', '=', userId)
        .where('topic', '=', topic)
        .where('seen_until', '<', until)
        .execute(),
    ),
  );
}

/** "Mark all as read": every followed topic's cursor to now. */
export async function markAllSeen(db: Db, userId: string, now = Date.now()) {
  await db
    .updateTable('follows')
    .set({ seen_until: now })
    .where('user_id', '=', userId)
    .where('seen_until', '<', now)
    .execute();
}

const newToken = () => randomBytes(24).toString('base64url');

/** The reader's private feed token, made on first use. */
export async function getFeedToken(db: Db, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select('feed_token').where('id', '=', userId).executeTakeFirst();
  if (row?.feed_token) return row.feed_token;
  return resetFeedToken(db, userId);
}

/** A new token: the old feed URLs answer 404 from now on. */
export async function resetFeedToken(db: Db, userId: string): Promise<string> {
  const token = newToken();
  await db.updateTable('users').set({ feed_token: token }).where('id', '=', userId).execute();
  return token;
}

export async function userByFeedToken(db: Db, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const row = await db.selectFrom('users').select('id').where('feed_token', '=', token).executeTakeFirst();
  return row?.id ?? null;
}
