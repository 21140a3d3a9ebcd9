'use client';
import dynamic from 'next/dynamic';
import { useEffect, useRef, useState } from 'react';
import { useHydrated } from '@/app/islands';

/** The replies section before its code is here: the same headings, so nothing moves when it lands. */
function RepliesSkeleton() {
  return (
    <section className="replies" aria-labelledby="replies-title">
      <div className="replies-head">
        <h2 id="replies-title">Replies</h2>
      </div>
      <div id="leave-a-reply" className="leave-reply">
        <h2>Leave a Reply</h2>
      </div>
    </section>
  );
}

const LazyArticleLive = dynamic(() => import('./article-live').then((m) => m.ArticleLive), { ssr: false });

/** Keeps the open article current (article-live.tsx); shows nothing until it has something to say. */
export function ArticleLive(props: { slug: string; version: string }) {
  return useHydrated() ? <LazyArticleLive {...props} /> : null;
}

// Not in the page's first load: most readers read the article and never reach the replies.
const Replies = dynamic(() => import('./replies').then((m) => m.Replies), {
  ssr: false,
  loading: RepliesSkeleton,
});

const NEAR = '1200px 0px';
const IDLE_TIMEOUT_MS = 4_000;

/**
 * Loads the replies when they near the viewport, when the address points into them, or when the
 * browser is first idle after load (so they are ready by the time the reader scrolls). The data is
 * fetched from the start by ArticleLive; only the code waits.
 */
export function RepliesIsland({ slug }: { slug: string }) {
  const [wanted, setWanted] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (wanted) return;
    const want = () => setWanted(true);
    // A permalink into the replies: at once (the first render must still match the server's HTML).
    const now = /^#(reply-|leave-a-reply)/.test(location.hash) ? requestAnimationFrame(want) : 0;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && want(), {
      rootMargin: NEAR,
    });
    if (ref.current) observer.observe(ref.current);
    const idle =
      typeof requestIdleCallback === 'function'
        ? requestIdleCallback(want, { timeout: IDLE_TIMEOUT_MS })
        : window.setTimeout(want, IDLE_TIMEOUT_MS);
    return () => {
      cancelAnimationFrame(now);
      observer.disconnect();
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
      else clearTimeout(idle);
    };
  }, [wanted]);
  return <div ref={ref}>{wanted ? <Replies slug={slug} /> : <RepliesSkeleton />}</div>;
}
