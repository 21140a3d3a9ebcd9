import 'server-only';
import { getTopicIndex } from '../content/queries';
import { getDb } from '../server';
import { buildFollowing, followSummary, type FollowingData } from './feed';
import { getFeedToken, listFollows } from './service';

const followsOf = async (userId: string) => listFollows(await getDb(), userId);

/** The reader's /following stream (one query for their follows; the rest is in memory). */
export async function getFollowing(
  userId: string,
  options: { topic?: string | null; page?: number } = {},
): Promise<FollowingData> {
  const [index, follows] = await Promise.all([getTopicIndex(), followsOf(userId)]);
  return buildFollowing(index, follows, options);
}

/** What the header and Follow buttons need: followed topics and the unread total. */
export async function getFollowSummary(userId: string) {
  const [index, follows] = await Promise.all([getTopicIndex(), followsOf(userId)]);
  return followSummary(index, follows);
}

/** The reader's private feed token, for their feed addresses on /account (made on first use). */
export async function getFeedTokenFor(userId: string): Promise<string> {
  return getFeedToken(await getDb(), userId);
}
