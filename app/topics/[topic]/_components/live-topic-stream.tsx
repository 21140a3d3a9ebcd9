'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { withProviders } from '@/app/providers';
import { LiveStatusLabel, PauseButton } from '@/components/live-controls';
import { NewUpdatesBanner } from '@/components/new-updates-banner';
import { StreamEntry } from '@/components/stream-item';
import type { StreamItem, TopicStreamData } from '@/lib/content/dto';
import { useLiveEvents, type LiveStatus } from '@/lib/query/use-live-events';
import { useReveal } from '@/lib/live/use-reveal';
import { keys } from '@/lib/query/keys';
import { topicStreamQuery } from '@/lib/query/resources';
import { DeskComposer, DeskEntry, useCanEdit } from './desk-slot';

const textOf = (i: StreamItem) => `${i.title}\n${i.html ?? i.summary}`;

/** Slugs whose text changed while the page was open (they get an "Updated" mark), so far. */
function useEditedSince(items: StreamItem[]): string[] {
  const [edited, setEdited] = useState<string[]>([]);
  const previous = useRef(items);
  useEffect(() => {
    const before = new Map(previous.current.map((i) => [i.slug, textOf(i)]));
    previous.current = items;
    const more = items.filter((i) => before.has(i.slug) && before.get(i.slug) !== textOf(i));
    if (more.length) setEdited((e) => [...new Set([...e, ...more.map((i) => i.slug)])]);
  }, [items]);
  return edited;
}

/**
 * Page 1 of a topic, kept live (SPEC §6). The server renders it and seeds the query cache; events
 * refetch it. New items are inserted when the top of the stream is on screen and the tab is
 * visible; otherwise they wait behind the "N new updates" banner, the tab title counts them and a
 * polite live region says so, at most every 30 s. Edits replace items in place; deletions remove.
 */
export const LiveTopicStream = withProviders(Stream);

function Stream({ initial, etag }: { initial: TopicStreamData; etag: string }) {
  const slug = initial.topic.slug;
  const { data } = useQuery({ ...topicStreamQuery(slug), initialData: { etag, data: initial } });
  const current = data.data;
  // A live topic that stops being live has ended: say so and stop listening. Other topics still
  // take new stories live, without being called a live blog.
  const ended = initial.topic.live && !current.topic.live;

  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const { visible, pending, reveal, topRef, announcement } = useReveal(current.items);

  const edited = useEditedSince(current.items);

  // Editors also get the desk (desk-slot.tsx). Their own update shows at once, even when they
  // scrolled down to Publish and would otherwise find it behind the "new updates" banner.
  const editor = useCanEdit();
  const [published, setPublished] = useState<string | null>(null);
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!published || revealed.current === published) return;
    if (!current.items.some((i) => i.slug === published)) return;
    revealed.current = published;
    reveal(false);
  }, [published, current.items, reveal]);
  // Events refetch the stream (lib/query/live.ts); so does (re)opening, as the page was rendered a
  // moment before or while paused: a 304 when nothing changed.
  useLiveEvents(
    { topics: [slug] },
    { enabled: !paused && !ended, refetch: [keys.topicStream(slug)], onStatus: setStatus },
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
      {editor && <DeskComposer topic={slug} live={current.topic.live} onPublished={setPublished} />}
      <div ref={topRef} className="stream-top" />
      <NewUpdatesBanner count={pending.length} announcement={announcement} onShow={() => reveal(true)} />
      {visible.length === 0 ? (
        <p>Nothing has been published here yet.</p>
      ) : (
        <ol className="stream">
          {visible.map((item: StreamItem) => (
            <li key={item.slug}>
              {editor ? (
                <DeskEntry item={item} editedLive={edited.includes(item.slug)} topic={slug} />
              ) : (
                <StreamEntry item={item} editedLive={edited.includes(item.slug)} />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
