import type { Article } from '../content/model';
import type { Db } from '../db/client';
import { config } from '../env';
import { pushToUsers } from '../push/service';
import { notifyFollowers } from './service';

/**
 * News in followed topics: a new item becomes an in-app notification for the readers whose level
 * asks for it, and a push to their devices. Every instance sees the file; the notification insert
 * decides which instance tells which reader, so nobody is told twice. Wired in lib/server.ts.
 */
export async function notifyFollowersOfNewContent(db: Db, article: Article) {
  const users = await notifyFollowers(db, {
    slug: article.slug,
    topics: article.topics,
    keyEvent: article.keyEvent,
    published: article.published,
  });
  if (users.length === 0) return;
  await pushToUsers(db, users, {
    title: article.keyEvent ? `Key event: ${article.title}` : article.title,
    body: article.summary,
    url: `${config.SITE_URL}/articles/${article.slug}`,
    tag: article.slug,
  });
}
