'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useLiveEvents } from '@/lib/live/use-live-events';

/** Told to the replies section: refetch. One EventSource per page, so it listens here for both. */
export const REPLIES_CHANGED = 'dispatch:replies-changed';
const repliesChanged = () => window.dispatchEvent(new Event(REPLIES_CHANGED));
/** Told by the replies section, with the article's current version from each replies fetch. */
export const ARTICLE_VERSION = 'dispatch:article-version';

/**
 * Keeps an open article current: when its file changes, the page's server data is refreshed in
 * place (no reload, scroll kept); when it is deleted, the reader is told.
 */
export function ArticleLive({ slug, version }: { slug: string; version: string }) {
  const router = useRouter();
  const [removed, setRemoved] = useState(false);
  // A change made between the server render and the stream connecting sends no event to this
  // page; the replies fetch that follows the connection brings the current version, for free.
  useEffect(() => {
    const onVersion = (event: Event) => {
      const current = (event as CustomEvent<string>).detail;
      if (current && current !== version) router.refresh();
    };
    window.addEventListener(ARTICLE_VERSION, onVersion);
    return () => window.removeEventListener(ARTICLE_VERSION, onVersion);
  }, [router, version]);
  useLiveEvents(
    { topics: [], article: slug },
    {
      enabled: !removed,
      onEvent: (event) => {
        if (event.article !== slug) return;
        if (event.type.startsWith('reply.')) repliesChanged();
        else if (event.type === 'content.deleted') setRemoved(true);
        else if (event.type === 'content.updated') router.refresh();
      },
      onPoll: () => (router.refresh(), repliesChanged()),
      onReset: () => (router.refresh(), repliesChanged()),
      // Whatever happened while the stream was not open yet.
      onOpen: repliesChanged,
    },
  );
  return removed ? (
    <p className="new-updates" role="status">
      This article has been removed.
    </p>
  ) : null;
}
