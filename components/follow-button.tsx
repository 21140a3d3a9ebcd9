'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { followTopic, unfollowTopic } from '@/lib/follows/actions';
import { refresh } from '@/lib/query/live';
import { keys } from '@/lib/query/keys';
import { followSummaryQuery } from '@/lib/query/resources';
import type { FollowSummary } from '@/lib/query/schemas';

/**
 * The Follow toggle (SPEC §4: named "Follow", `aria-pressed` true when following). Optimistic,
 * reconciled with the server action's answer. Signed out, it goes through sign-in and comes back
 * with `?follow=<topic>`, which completes the follow.
 */
export function FollowButton({ topic, title }: { topic: string; title: string }) {
  const router = useRouter();
  const client = useQueryClient();
  const follows = useQuery(followSummaryQuery()).data ?? null;
  // Optimistic: the button (and every other one for this topic) changes before the server answers.
  const setFollowing = (following: boolean) =>
    client.setQueryData<FollowSummary>(keys.followSummary, (s) => {
      if (!s) return s;
      const topics = s.topics.filter((t) => t !== topic);
      return { ...s, topics: following ? [...topics, topic] : topics };
    });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const following = follows?.topics.includes(topic) ?? false;

  async function toggle(next: boolean) {
    setBusy(true);
    setError('');
    setFollowing(next);
    const result = await (next ? followTopic({ topic }) : unfollowTopic({ topic })).catch(() => null);
    setBusy(false);
    if (!result?.ok) {
      setFollowing(!next);
      setError(result?.message ?? 'That did not work. Please try again.');
    }
    void refresh(client, keys.followSummary); // the unread count in the header
  }

  // Back from signing in to follow this topic: finish what the reader asked for, once.
  const resumed = useRef(false);
  useEffect(() => {
    if (resumed.current || !follows?.signedIn) return;
    const params = new URLSearchParams(window.location.search);
    if (params.get('follow') !== topic) return;
    resumed.current = true;
    params.delete('follow');
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}${location.hash}`);
    if (!follows.topics.includes(topic)) setTimeout(() => void toggle(true), 0);
  });

  const signedOut = follows !== null && !follows.signedIn;
  const signIn = () =>
    router.push(`/signin?callbackUrl=${encodeURIComponent(`${location.pathname}?follow=${topic}`)}`);
  return (
    <span className="follow">
      <button
        type="button"
        className="button follow-button"
        aria-pressed={following}
        disabled={!follows || busy}
        title={
          signedOut ? `Sign in to follow ${title}` : following ? `You follow ${title}` : `Follow ${title}`
        }
        onClick={() => (signedOut ? signIn() : toggle(!following))}
      >
        <span aria-hidden="true">{following ? '✓' : '+'}</span>
        Follow
      </button>
      {error && (
        <span role="status" className="form-status error">
          {error}
        </span>
      )}
    </span>
  );
}
