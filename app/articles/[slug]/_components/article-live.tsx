'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useLiveEvents } from '@/lib/live/use-live-events';

/**
 * Keeps an open article current: when its file changes, the page's server data is refreshed in
 * place (no reload, scroll kept); when it is deleted, the reader is told.
 */
export function ArticleLive({ slug }: { slug: string }) {
  const router = useRouter();
  const [removed, setRemoved] = useState(false);
  useLiveEvents(
    { topics: [], article: slug },
    {
      enabled: !removed,
      onEvent: (event) => {
        if (event.article !== slug) return;
        if (event.type === 'content.deleted') setRemoved(true);
        else if (event.type === 'content.updated') router.refresh();
      },
      onPoll: () => router.refresh(),
      onReset: () => router.refresh(),
    },
  );
  return removed ? (
    <p className="new-updates" role="status">
      This article has been removed.
    </p>
  ) : null;
}
