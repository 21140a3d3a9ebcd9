'use client';
import { useCallback, useEffect, useRef, useState } from 'react';

const ANNOUNCE_EVERY_MS = 30_000;

/**
 * The reveal rules of SPEC §6 for a live list: items the reader has not been shown wait, unless
 * the top of the list is on screen and the tab is visible, in which case they are inserted. While
 * some wait, the tab title counts them and a polite announcement says so, at most every 30 s.
 * `reveal(true)` shows them and moves focus to the first new one (`#u-<slug>`).
 */
export function useReveal<T extends { slug: string }>(items: T[]) {
  const [shown, setShown] = useState(() => new Set(items.map((i) => i.slug)));
  const [announcement, setAnnouncement] = useState('');
  const lastAnnounced = useRef(0);
  const topRef = useRef<HTMLDivElement>(null);
  const atTop = useRef(true);

  const pending = items.filter((i) => !shown.has(i.slug));
  const visible = items.filter((i) => shown.has(i.slug));

  const reveal = useCallback(
    (focusFirst: boolean) => {
      const fresh = items.filter((i) => !shown.has(i.slug));
      if (fresh.length === 0) return;
      setShown(new Set(items.map((i) => i.slug)));
      if (focusFirst) requestAnimationFrame(() => document.getElementById(`u-${fresh[0]!.slug}`)?.focus());
    },
    [items, shown],
  );

  // Watch whether the top of the list is on screen.
  useEffect(() => {
    const node = topRef.current;
    if (!node) return;
    const observer = new IntersectionObserver(([entry]) => {
      atTop.current = Boolean(entry?.isIntersecting);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  // New data: insert at once when the reader is at the top and looking; otherwise keep it waiting.
  useEffect(() => {
    if (pending.length === 0) return;
    if (atTop.current && document.visibilityState === 'visible') reveal(false);
  }, [pending.length, reveal]);

  // Tab title and screen-reader announcement for waiting items.
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, '');
    document.title = pending.length > 0 ? `(${pending.length}) ${base}` : base;
    if (pending.length > 0 && Date.now() - lastAnnounced.current >= ANNOUNCE_EVERY_MS) {
      lastAnnounced.current = Date.now();
      setAnnouncement(`${pending.length} new ${pending.length === 1 ? 'update' : 'updates'}`);
    }
  }, [pending.length]);

  // When the reader comes back to the tab at the top, show what arrived meanwhile.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && atTop.current) reveal(false);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [reveal]);

  return { visible, pending, reveal, topRef, announcement };
}
