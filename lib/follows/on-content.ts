import type { ContentChange, ContentStore } from '../content/store';
import { getDb } from '../db/client';
import { config } from '../env';
import { log } from '../log';
import { pushToUsers } from '../push/service';
import { notifyFollowers } from './service';

/**
 * News in followed topics: each new item becomes an in-app notification for the readers whose
 * level asks for it, and a push to their devices. Every instance sees the file; the notification
 * insert decides which instance tells which reader, so nobody is told twice.
 */
export function notifyFollowersOfNewContent(store: ContentStore) {
  store.subscribe((changes: ContentChange[]) => {
    for (const change of changes) {
      if (change.type !== 'content.created') continue;
      tell(store, change.slug).catch((error) =>
        log.error(
          'follows',
          `notifying followers of ${change.slug} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  });
}

async function tell(store: ContentStore, slug: string) {
  const article = store.snapshot.articles.get(slug);
  if (!article || !store.isVisible(article)) return;
  const db = await getDb();
  const users = await notifyFollowers(db, {
    slug,
    topics: article.topics,
    keyEvent: article.keyEvent,
    published: article.published,
  });
  if (users.length === 0) return;
  await pushToUsers(db, users, {
    title: article.keyEvent ? `Key event: ${article.title}` : article.title,
    body: article.summary,
    url: `${config.SITE_URL}/articles/${slug}`,
    tag: slug,
  });
}
