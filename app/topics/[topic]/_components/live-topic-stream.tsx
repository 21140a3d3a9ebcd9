'use client';
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { LiveStatusLabel, PauseButton } from '@/components/live-controls';
import { NewUpdatesBanner } from '@/components/new-updates-banner';
import { StreamEntry } from '@/components/stream-item';
import type { StreamItem, TopicStreamData } from '@/lib/content/dto';
import type { LiveEvent } from '@/lib/live/events';
import { useLiveEvents, type LiveStatus } from '@/lib/live/use-live-events';
import { useReveal } from '@/lib/live/use-reveal';
import { fetchTopicStream, topicStreamKey } from '@/lib/query/keys';

type StreamState = { etag: string; data: TopicStreamData; edited: string[] };

const textOf = (i: StreamItem) => `${i.title}\n${i.html ?? i.summary}`;

/** Slugs whose text changed while the page was open (they get an "Updated" mark), so far. */
function editedSince(previous: StreamState | undefined, items: StreamItem[]): string[] {
  const edited = new Set(previous?.edited);
  const before = new Map(previous?.data.items.map((i) => [i.slug, textOf(i)]));
  for (const item of items)
    if (before.has(item.slug) && before.get(item.slug) !== textOf(item)) edited.add(item.slug);
  return [...edited];
}

/**
 * Page 1 of a topic, kept live (SPEC §6). The server renders it and seeds the query cache; events
 * refetch it. New items are inserted when the top of the stream is on screen and the tab is
 * visible; otherwise they wait behind the "N new updates" banner, the tab title counts them and a
 * polite live region says so, at most every 30 s. Edits replace items in place; deletions remove.
 */
export function LiveTopicStream({ initial, etag }: { initial: TopicStreamData; etag: string }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: 2 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <Stream initial={initial} etag={etag} />
    </QueryClientProvider>
  );
}

function Stream({ initial, etag }: { initial: TopicStreamData; etag: string }) {
  const slug = initial.topic.slug;
  const queryClient = useQueryClient();
  const key = topicStreamKey(slug);
  const { data } = useQuery<StreamState>({
    queryKey: key,
    queryFn: async () => {
      const previous = queryClient.getQueryData<StreamState>(key);
      const next = await fetchTopicStream(slug, 1, previous);
      return next === previous ? previous : { ...next, edited: editedSince(previous, next.data.items) };
    },
    initialData: { etag, data: initial, edited: [] },
  });
  const current = data.data;
  // A live topic that stops being live has ended: say so and stop listening. Other topics still
  // take new stories live, without being called a live blog.
  const ended = initial.topic.live && !current.topic.live;

  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const { visible, pending, reveal, topRef, announcement } = useReveal(current.items);

  const refetch = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: key }),
    [queryClient, key],
  );
  useLiveEvents(
    { topics: [slug] },
    {
      enabled: !paused && !ended,
      onEvent: (event: LiveEvent) => {
        if (event.type.startsWith('content.') || event.type === 'topic.ended') refetch();
      },
      onPoll: refetch,
      onReset: refetch,
      // The page was rendered a moment before the stream opened, or while paused: catch up (a 304 when nothing changed).
      onOpen: refetch,
      onStatus: setStatus,
    },
  );

  return (
    <section aria-labelledby="latest" className="live-stream">
      <div className="stream-head">
        <h2 id="latest" className="section-title">
          {current.topic.live ? 'Live updates' : 'Latest'}
        </h2>
        {ended ? (
          <p className="meta" role="status">
            This live coverage has ended.
          </p>
        ) : (
          <PauseButton paused={paused} onToggle={() => setPaused((p) => !p)} />
        )}
        <LiveStatusLabel status={status} />
      </div>
      <div ref={topRef} className="stream-top" />
      <NewUpdatesBanner count={pending.length} announcement={announcement} onShow={() => reveal(true)} />
      {visible.length === 0 ? (
        <p>Nothing has been published here yet.</p>
      ) : (
        <ol className="stream">
          {visible.map((item: StreamItem) => (
            <li key={item.slug}>
              <StreamEntry item={item} editedLive={data.edited.includes(item.slug)} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
