import type { TopicStreamData } from '../content/dto';

// Query keys and fetchers shared by the server (which seeds the cache) and the browser.

export const topicStreamKey = (topic: string, page = 1) => ['topic-stream', topic, page] as const;

/** Fetches a topic stream page; `etag` makes an unchanged answer a cheap 304. */
export async function fetchTopicStream(
  topic: string,
  page = 1,
  previous?: { etag: string; data: TopicStreamData },
) {
  const res = await fetch(`/api/topics/${encodeURIComponent(topic)}/stream?page=${page}`, {
    headers: previous ? { 'if-none-match': previous.etag } : {},
    cache: 'no-store',
  });
  if (res.status === 304 && previous) return previous;
  if (!res.ok) throw new Error(`stream ${res.status}`);
  return { etag: res.headers.get('etag') ?? '', data: (await res.json()) as TopicStreamData };
}
