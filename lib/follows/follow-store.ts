'use client';
import { useSyncExternalStore } from 'react';

// The reader's follows as the browser knows them: one request per page, shared by every Follow
// button and the header's count. Pages are cached for everyone, so this is never server-rendered.

export type FollowState = { signedIn: boolean; topics: string[]; unread: number } | null;

let state: FollowState = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Loads (or reloads) the summary from the server. */
export function refreshFollows(): Promise<void> {
  loading = fetch('/api/follows', { cache: 'no-store' })
    .then(async (r) => {
      if (r.ok) state = (await r.json()) as NonNullable<FollowState>;
      emit();
    })
    .catch(() => undefined);
  return loading;
}

/** Optimistic change, before the server answers. */
export function setFollowing(topic: string, following: boolean) {
  if (!state) return;
  const topics = state.topics.filter((t) => t !== topic);
  state = { ...state, topics: following ? [...topics, topic] : topics };
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!state && !loading) void refreshFollows();
  return () => listeners.delete(listener);
}

export const useFollows = () =>
  useSyncExternalStore(
    subscribe,
    () => state,
    () => null,
  );
