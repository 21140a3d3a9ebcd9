'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { withProviders } from '@/app/providers';
import { LiveStatusLabel, PauseButton } from '@/components/live-controls';
import { NewUpdatesBanner } from '@/components/new-updates-banner';
import { StreamEntry } from '@/components/stream-item';
import { markAllRead, markSeen, setFollowLevel } from '@/lib/follows/actions';
import type { FollowingData, FollowingItem } from '@/lib/follows/feed';
import { useLiveEvents, type LiveStatus } from '@/lib/query/use-live-events';
import { useReveal } from '@/lib/live/use-reveal';
import { refreshAll } from '@/lib/query/live';
import { keys } from '@/lib/query/keys';
import { followingQuery } from '@/lib/query/resources';

const SEEN_AFTER_MS = 800;

/**
 * The reader's merged stream, live by the reveal rules of SPEC §6. Items count as read when they
 * have actually been on screen (half visible, tab visible): the server's per-topic cursors move to
 * the newest such item, so another device shows the same counts. "New" marks stay for this visit.
 */
export const FollowingStream = withProviders(Stream);

function Stream({ initial }: { initial: FollowingData }) {
  const client = useQueryClient();
  const query = useMemo(() => followingQuery(initial.topic, initial.page), [initial.topic, initial.page]);
  const data = useQuery({ ...query, initialData: initial }).data;
  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [message, setMessage] = useState('');
  // "New" stays marked for this visit, also once seen; items that arrive new are added.
  const [marked, setMarked] = useState(() => withNew(new Set<string>(), initial.items));
  const [markedFrom, setMarkedFrom] = useState(data.items);
  if (markedFrom !== data.items) {
    setMarkedFrom(data.items);
    setMarked((m) => withNew(m, data.items));
  }
  const { visible, pending, reveal, topRef, announcement } = useReveal(data.items);
  // This stream and the header's count: both move when the server's cursors do.
  const refetch = useCallback(
    () => refreshAll(client, [query.queryKey, keys.followSummary]),
    [client, query.queryKey],
  );

  // New items in any followed topic refetch this page (lib/query/live.ts).
  useLiveEvents(
    { topics: data.topics.map((t) => t.slug) },
    { enabled: !paused, refetch: [query.queryKey], onStatus: setStatus },
  );

  // What the reader has seen: new items that were half on screen while the tab was visible.
  const seen = useRef(new Map<string, number>());
  const flushTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    const byId = new Map(visible.filter((i) => i.isNew).map((i) => [`u-${i.slug}`, i]));
    if (byId.size === 0) return;
    const flush = async () => {
      const batch = Object.fromEntries(seen.current);
      seen.current.clear();
      const result = await markSeen({ seen: batch }).catch(() => null);
      if (result?.ok) await refetch();
    };
    const observer = new IntersectionObserver(
      (entries) => {
        if (document.visibilityState !== 'visible') return;
        for (const entry of entries) {
          const item = entry.isIntersecting ? byId.get(entry.target.id) : undefined;
          if (!item) continue;
          const at = Date.parse(item.publishedAt);
          for (const t of item.topics) seen.current.set(t, Math.max(seen.current.get(t) ?? 0, at));
          observer.unobserve(entry.target);
        }
        if (seen.current.size > 0) {
          clearTimeout(flushTimer.current);
          flushTimer.current = setTimeout(() => void flush(), SEEN_AFTER_MS);
        }
      },
      { threshold: 0.5 },
    );
    for (const id of byId.keys()) {
      const node = document.getElementById(id);
      if (node) observer.observe(node);
    }
    return () => observer.disconnect();
  }, [visible, refetch]);

  const firstNew = visible.findIndex((i) => marked.has(i.slug));
  const lastNew = visible.findLastIndex((i) => marked.has(i.slug));

  return (
    <>
      <section aria-labelledby="your-topics" className="following-topics">
        <h2 id="your-topics" className="visually-hidden">
          Your topics
        </h2>
        <ul className="topic-filter">
          <li>
            <Link href="/following" aria-current={data.topic === null ? 'page' : undefined}>
              All topics
            </Link>{' '}
            <Count n={data.unread} />
          </li>
          {data.topics.map((t) => (
            <li key={t.slug}>
              <Link
                href={`/following?topic=${t.slug}`}
                aria-current={data.topic === t.slug ? 'page' : undefined}
              >
                {t.title}
              </Link>{' '}
              <Count n={t.unread} />{' '}
              <label className="level">
                <span className="visually-hidden">Notify me about {t.title}: </span>
                <select
                  value={t.level}
                  onChange={async (e) => {
                    const level = e.target.value;
                    const result = await setFollowLevel({ topic: t.slug, level });
                    setMessage(result.ok ? `${t.title}: ${levelText[level]}.` : result.message);
                    await refetch();
                  }}
                >
                  {Object.entries(levelText).map(([value, text]) => (
                    <option key={value} value={value}>
                      {text}
                    </option>
                  ))}
                </select>
              </label>
            </li>
          ))}
        </ul>
        <p className="following-actions">
          <button
            type="button"
            className="button"
            disabled={data.unread === 0}
            onClick={async () => {
              const result = await markAllRead();
              setMessage(result.ok ? 'Everything is marked as read.' : result.message);
              await refetch();
            }}
          >
            Mark all as read
          </button>{' '}
          <PauseButton paused={paused} onToggle={() => setPaused((p) => !p)} />{' '}
          <LiveStatusLabel status={status} />
        </p>
        <p role="status" className="form-status ok">
          {message}
        </p>
      </section>
      <section aria-labelledby="following-latest" className="live-stream">
        <h2 id="following-latest" className="section-title">
          Latest from your topics
        </h2>
        <div ref={topRef} className="stream-top" />
        <NewUpdatesBanner count={pending.length} announcement={announcement} onShow={() => reveal(true)} />
        {visible.length === 0 ? (
          <p>Nothing has been published in these topics yet.</p>
        ) : (
          <ol className="stream">
            {visible.map((item: FollowingItem, i) => (
              <li key={item.slug} className={marked.has(item.slug) ? 'is-new' : undefined}>
                {i === firstNew && <p className="since-marker">New since your last visit</p>}
                <StreamEntry item={item} />
                {i === lastNew && lastNew < visible.length - 1 && <p className="since-marker">Earlier</p>}
              </li>
            ))}
          </ol>
        )}
        {(data.page > 1 || data.hasOlder) && (
          <nav aria-label="Pages" className="pagination">
            {data.page > 1 && (
              <Link href={`/following?${data.topic ? `topic=${data.topic}&` : ''}page=${data.page - 1}`}>
                Newer
              </Link>
            )}{' '}
            {data.hasOlder && (
              <Link href={`/following?${data.topic ? `topic=${data.topic}&` : ''}page=${data.page + 1}`}>
                Older
              </Link>
            )}
          </nav>
        )}
      </section>
    </>
  );
}

/** `marked` plus the slugs of new items among `items` (the same set when there are none). */
function withNew(marked: Set<string>, items: FollowingItem[]) {
  const more = items.filter((i) => i.isNew && !marked.has(i.slug));
  return more.length ? new Set([...marked, ...more.map((i) => i.slug)]) : marked;
}

const levelText: Record<string, string> = {
  all: 'Every update',
  key: 'Key events only',
  none: 'No notifications',
};

function Count({ n }: { n: number }) {
  return n > 0 ? <span className="unread-count">{n} new</span> : null;
}
