import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/client';

// The reader's notifications: the only module that writes them. Other domains decide who is told
// of what and call these, inside their own transaction where the write belongs to one (pass `tx`).

/** Marks some (or, without ids, all) of a reader's notifications read. */
export async function markNotificationsRead(db: Db, userId: string, ids?: string[], now = Date.now()) {
  let query = db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return;
    query = query.where('id', 'in', ids);
  }
  await query.execute();
}

export type ReplyAnswered = {
  /** The reader told: the author of the reply that was answered. */
  userId: string;
  article: string;
  /** The answer. */
  replyId: string;
  /** Who answered, as named in "X replied to you". */
  actorName: string;
  createdAt: number;
};

/** "X replied to you": one notification to the author of an answered reply. */
export async function notifyReplyAnswered(tx: Db, answer: ReplyAnswered) {
  await tx
    .insertInto('notifications')
    .values({
      id: randomUUID(),
      user_id: answer.userId,
      kind: 'reply',
      article: answer.article,
      reply_id: answer.replyId,
      actor_name: answer.actorName,
      created_at: answer.createdAt,
      read_at: null,
    })
    .execute();
}

/** A deleted reply's notifications go with it. */
export async function forgetReplyNotifications(tx: Db, replyId: string) {
  await tx.deleteFrom('notifications').where('reply_id', '=', replyId).execute();
}

/**
 * A deleted account's name leaves other readers' "X replied to you" ("Someone replied…"). Run in
 * the deletion's transaction, before the account's replies are erased.
 */
export async function anonymizeActor(tx: Db, userId: string) {
  await tx
    .updateTable('notifications')
    .set({ actor_name: null })
    .where('reply_id', 'in', tx.selectFrom('replies').select('id').where('author_id', '=', userId))
    .execute();
}

export type NewItem = { slug: string; topics: string[]; keyEvent: boolean; published: number };

/**
 * Tells followers of the item's topics, by their level (every update, or key events only), in
 * one INSERT … SELECT. Each instance that sees the file runs this; the unique (user, dedupe) index
 * keeps one row per reader, and only the readers this call inserted are returned (to push to).
 */
export async function notifyFollowers(db: Db, item: NewItem): Promise<string[]> {
  if (item.topics.length === 0) return [];
  const dedupe = `content:${item.slug}`;
  const rows = await db
    .insertInto('notifications')
    .columns([
      'id',
      'user_id',
      'kind',
      'article',
      'reply_id',
      'actor_name',
      'dedupe',
      'created_at',
      'read_at',
    ])
    .expression((eb) =>
      eb
        .selectFrom('follows')
        // Casts: PostgreSQL can't infer the types of bare parameters in a SELECT list.
        .select([
          sql<string>`cast(${dedupe} as text) || ':' || user_id`.as('id'),
          'user_id',
          sql<string>`cast(${item.keyEvent ? 'key_event' : 'update'} as text)`.as('kind'),
          sql<string>`cast(${item.slug} as text)`.as('article'),
          sql<null>`cast(null as text)`.as('reply_id'),
          sql<null>`cast(null as text)`.as('actor_name'),
          sql<string>`cast(${dedupe} as text)`.as('dedupe'),
          sql<number>`cast(${item.published} as bigint)`.as('created_at'),
          sql<null>`cast(null as bigint)`.as('read_at'),
        ])
        .where('topic', 'in', item.topics)
        .where('level', 'in', item.keyEvent ? ['all', 'key'] : ['all'])
        .groupBy('user_id'),
    )
    .onConflict((oc) => oc.columns(['user_id', 'dedupe']).doNothing())
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}
