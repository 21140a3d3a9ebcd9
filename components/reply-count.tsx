'use client';
import { useSyncExternalStore } from 'react';
import { repliesLabel } from '@/lib/replies/dto';

// Every card on a page asks at once; one request answers them all (no N+1 over HTTP either).
const counts = new Map<string, number>();
const wanted = new Set<string>();
const listeners = new Set<() => void>();
let scheduled = false;

function flush() {
  scheduled = false;
  const slugs = [...wanted].filter((s) => !counts.has(s)).slice(0, 100);
  wanted.clear();
  if (slugs.length === 0) return;
  fetch(`/api/replies/counts?articles=${slugs.join(',')}`)
    .then((r): Promise<{ counts: Record<string, number> }> | { counts: Record<string, number> } =>
      r.ok ? r.json() : { counts: {} },
    )
    .then((data) => {
      for (const s of slugs) counts.set(s, data.counts[s] ?? 0);
      listeners.forEach((l) => l());
    })
    .catch(() => undefined);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "3 Replies" on an article card; nothing until known, and nothing for none. */
export function ReplyCount({ slug }: { slug: string }) {
  const n = useSyncExternalStore(
    (l) => {
      if (!counts.has(slug)) {
        wanted.add(slug);
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      }
      return subscribe(l);
    },
    () => counts.get(slug) ?? 0,
    () => 0,
  );
  return n > 0 ? <span className="reply-count"> · {repliesLabel(n)}</span> : null;
}
