import 'server-only';
import type { Db } from '../db/client';
import type { NotificationsTable } from '../db/schema';
import { getDb } from '../server';

// The reader's notifications: answers to their replies and news in the topics they follow. Pages
// and routes read through the first two (the process's database); the db-taking reads below them
// serve actions that already hold one, and tests.

/** The reader's latest notifications, newest first, and how many are unread. */
export async function getNotificationsFor(userId: string) {
  return listNotifications(await getDb(), userId);
}

/** How many of the reader's notifications are unread (the bell in the header). */
export async function getUnreadCount(userId: string): Promise<number> {
  return countUnread(await getDb(), userId);
}

type NotificationKind = NotificationsTable['kind'];
const iso = (ms: number) => new Date(ms).toISOString();

export type NotificationDto = {
  id: string;
  kind: NotificationKind;
  article: string;
  replyId: string | null;
  actorName: string | null;
  createdAt: string;
  read: boolean;
};

export async function listNotifications(db: Db, userId: string, limit = 50) {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute(),
    countUnread(db, userId),
  ]);
  const items = rows.map((r): NotificationDto => ({
    id: r.id,
    kind: r.kind,
    article: r.article,
    replyId: r.reply_id,
    actorName: r.actor_name,
    createdAt: iso(r.created_at),
    read: r.read_at !== null,
  }));
  return { items, unread };
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(db.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
