import { queryOptions } from '@tanstack/react-query';
import * as v from 'valibot';
import type { TopicStreamData } from '../content/dto';
import type { FollowingData } from '../follows/feed';
import type { ReplyThread } from '../replies/dto';
import {
  followingSchema,
  followSummarySchema,
  replyThreadSchema,
  sessionSchema,
  topicStreamSchema,
  unreadSchema,
} from './schemas';
import { keys } from './keys';

// Every piece of data the browser keeps, one queryOptions factory each: the key (keys.ts), how to
// fetch it and check it, how long it stays fresh. Components use these; lib/query/live.ts says which
// keys a live event touches.

/** A failed or malformed answer: react-query keeps the last good data and retries. */
class ResponseError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`${url}: ${status}`);
  }
}

async function getJson<S extends v.GenericSchema>(url: string, schema: S): Promise<v.InferOutput<S>> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new ResponseError(url, res.status);
  return v.parse(schema, await res.json());
}

/** Who is signed in, as next-auth says; null when nobody. */
export const sessionQuery = () =>
  queryOptions({
    queryKey: keys.session,
    queryFn: async () => {
      const { user } = await getJson('/api/auth/session', sessionSchema);
      return user?.name ? { name: user.name, role: user.role } : null;
    },
  });

/** Followed topics and the unread total: Follow buttons and the header's "Following" count. */
export const followSummaryQuery = () =>
  queryOptions({
    queryKey: keys.followSummary,
    queryFn: () => getJson('/api/follows', followSummarySchema),
    // Topics without a live stream on this page still get news: look again now and then.
    refetchInterval: 60_000,
  });

/** The bell's count. Fresh on every look: it refetches when the tab comes back. */
export const unreadNotificationsQuery = () =>
  queryOptions({
    queryKey: keys.unreadNotifications,
    queryFn: async () => (await getJson('/api/notifications', unreadSchema)).unread,
    staleTime: 0,
    refetchOnWindowFocus: true,
  });

export type TopicStreamState = { etag: string; data: TopicStreamData };

/** Page 1 of a topic. The ETag makes an unchanged answer a 304: polling and bursts stay cheap. */
export const topicStreamQuery = (topic: string) =>
  queryOptions({
    queryKey: keys.topicStream(topic),
    queryFn: async ({ client, queryKey }): Promise<TopicStreamState> => {
      const previous = client.getQueryData<TopicStreamState>(queryKey);
      const url = `/api/topics/${encodeURIComponent(topic)}/stream?page=1`;
      const res = await fetch(url, {
        headers: previous ? { 'if-none-match': previous.etag } : {},
        cache: 'no-store',
      });
      if (res.status === 304 && previous) return previous;
      if (!res.ok) throw new ResponseError(url, res.status);
      return { etag: res.headers.get('etag') ?? '', data: v.parse(topicStreamSchema, await res.json()) };
    },
  });

/** An article's replies as this reader sees them (their pending ones, what they may edit). */
export const repliesQuery = (article: string) =>
  queryOptions({
    queryKey: keys.replies(article),
    queryFn: (): Promise<ReplyThread> =>
      getJson(`/api/articles/${encodeURIComponent(article)}/replies`, replyThreadSchema),
  });

/** One page of the reader's /following stream, optionally one topic. */
export const followingQuery = (topic: string | null, page: number) =>
  queryOptions({
    queryKey: keys.following(topic, page),
    queryFn: (): Promise<FollowingData> =>
      getJson(
        `/api/following?${new URLSearchParams({ ...(topic ? { topic } : {}), page: String(page) })}`,
        followingSchema,
      ),
  });
