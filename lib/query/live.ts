import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { LiveEvent } from '../live/events';
import { keys } from './keys';

// The one place that says what a live event means for the browser's data (SPEC §6):
// lib/query/use-live-events.ts receives events, this maps each to the query keys it makes stale.

/** The keys an event makes stale (prefixes: every page and filter under them). Pure. */
export function keysForEvent(event: LiveEvent): QueryKey[] {
  const out: QueryKey[] = [];
  if (event.type.startsWith('content.') || event.type === 'topic.ended') {
    for (const topic of event.topics) out.push(keys.topicStream(topic));
    out.push(keys.allFollowing, keys.followSummary);
    // An edit can close or reopen replies.
    if (event.article && event.type === 'content.updated') out.push(keys.replies(event.article));
  } else if (event.type.startsWith('reply.')) {
    if (event.article) out.push(keys.replies(event.article));
    // Someone may have answered this reader: the bell (a no-op when signed out, the query is off).
    out.push(keys.unreadNotifications);
  }
  return out;
}

/** Applies a live event to the cache: every query it concerns refetches (if on screen). */
export function applyLiveEvent(client: QueryClient, event: LiveEvent): Promise<void> {
  return refreshAll(client, keysForEvent(event));
}

/** A stream (re)opened, polling ticked, or the server said events were lost: refetch these. */
export function refreshAll(client: QueryClient, queryKeys: QueryKey[]): Promise<void> {
  return Promise.all(queryKeys.map((key) => refresh(client, key))).then(() => undefined);
}

/**
 * Refetches what `key` names without ever cancelling a fetch under way: a burst of events would
 * otherwise cancel each answer before it lands and the page would freeze on old data (the freeze
 * in docs/benchmarks.md). A fetch that started before the event may miss it, so a query that is
 * fetching gets one more fetch after it; every event in the meantime shares that one.
 */
export async function refresh(client: QueryClient, key: QueryKey): Promise<void> {
  const again = () => client.invalidateQueries({ queryKey: key }, { cancelRefetch: false });
  const fetching = client.getQueryCache().findAll({ queryKey: key, fetchStatus: 'fetching' });
  if (fetching.length === 0) return again();
  await client
    .refetchQueries({ queryKey: key, fetchStatus: 'fetching' }, { cancelRefetch: false })
    .catch(() => undefined);
  return again();
}
