import 'server-only';
import { getContentStore } from '../server';
import type { Db } from '../db/client';
import { buildFollowing, followSummary, type FollowingData } from './feed';
import { listFollows } from './service';

/** The reader's /following stream (one query for their follows; the rest is in memory). */
export async function getFollowing(
  db: Db,
  userId: string,
  options: { topic?: string | null; page?: number } = {},
): Promise<FollowingData> {
  const [store, follows] = await Promise.all([getContentStore(), listFollows(db, userId)]);
  return buildFollowing(store.snapshot.byTopic, store.snapshot.topics, follows, {
    now: Date.now(),
    ...options,
  });
}

/** What the header and Follow buttons need: followed topics and the unread total. */
export async function getFollowSummary(db: Db, userId: string) {
  const [store, follows] = await Promise.all([getContentStore(), listFollows(db, userId)]);
  return followSummary(store.snapshot.byTopic, store.snapshot.topics, follows, Date.now());
}
