'use client';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { withProviders } from '@/app/providers';
import { keys } from '@/lib/query/keys';
import { repliesQuery } from '@/lib/query/resources';
import { useLiveEvents } from '@/lib/query/use-live-events';

/**
 * Keeps an open article current: when its file changes, the page's server data is refreshed in
 * place (no reload, scroll kept); when it is deleted, the reader is told. Its replies are fetched
 * from here at once (the section's code loads later, lib/query keeps the data).
 */
export const ArticleLive = withProviders(Live);

function Live({ slug, version }: { slug: string; version: string }) {
  const router = useRouter();
  const [removed, setRemoved] = useState(false);
  // A change made between the server render and the stream connecting sends no event to this
  // page; each replies answer carries the article's current version, for free.
  const current = useQuery(repliesQuery(slug)).data?.version;
  useEffect(() => {
    if (current && current !== version) router.refresh();
  }, [router, current, version]);
  useLiveEvents(
    { topics: [], article: slug },
    {
      enabled: !removed,
      // Replies (and the version they carry) on open, poll and reset; the article itself on poll
      // and reset, when events may have been missed.
      refetch: [keys.replies(slug)],
      onCatchUp: () => router.refresh(),
      onEvent: (event) => {
        if (event.article !== slug) return;
        if (event.type === 'content.deleted') setRemoved(true);
        else if (event.type === 'content.updated') router.refresh();
      },
    },
  );
  return removed ? (
    <p className="new-updates" role="status">
      This article has been removed.
    </p>
  ) : null;
}
