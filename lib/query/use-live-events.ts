'use client';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { applyLiveEvent, refreshAll } from './live';
import { liveQuery, parseLiveEvent, type LiveEvent, type LiveSubscription } from '../live/events';

export type LiveStatus = 'connecting' | 'live' | 'polling' | 'paused' | 'ended';

type Options = {
  enabled: boolean;
  /**
   * The page's queries, refetched whenever events may have been missed: each time the stream
   * (re)opens, on every poll while server-sent events can't get through (SPEC §6 fallback), and on
   * a `reset` (events lost beyond the backlog). Events themselves go to lib/query/live.ts.
   */
  refetch: QueryKey[];
  /** What the page does beyond its queries on a poll or a reset (e.g. refresh server data). */
  onCatchUp?: () => void;
  /** What the page does beyond its queries on an event (e.g. say the article was removed). */
  onEvent?: (event: LiveEvent) => void;
  onStatus?: (status: LiveStatus) => void;
};

const POLL_VISIBLE_MS = 5_000;
const POLL_HIDDEN_MS = 60_000;
const RETRY_SSE_MS = 60_000;
const FAILURES_BEFORE_POLLING = 3;

/**
 * One EventSource per page for `sub`. The browser reconnects by itself and sends Last-Event-ID,
 * so the server replays what was missed. When the stream keeps failing before it ever opens (a
 * proxy that strips it), it falls back to polling, slower while the tab is hidden, and tries the
 * stream again now and then.
 */
export function useLiveEvents(sub: LiveSubscription, options: Options) {
  const client = useQueryClient();
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const query = liveQuery(sub);

  useEffect(() => {
    if (!options.enabled) {
      latest.current.onStatus?.('paused');
      return;
    }
    let source: EventSource | null = null;
    let failures = 0;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const catchUp = () => void refreshAll(client, latest.current.refetch);
    const poll = () => {
      catchUp();
      latest.current.onCatchUp?.();
      pollTimer = setTimeout(poll, document.hidden ? POLL_HIDDEN_MS : POLL_VISIBLE_MS);
    };
    const startPolling = () => {
      source?.close();
      source = null;
      latest.current.onStatus?.('polling');
      poll();
      retryTimer = setTimeout(() => {
        clearTimeout(pollTimer);
        connect();
      }, RETRY_SSE_MS);
    };
    const connect = () => {
      if (stopped) return;
      if (typeof EventSource === 'undefined') return startPolling();
      latest.current.onStatus?.('connecting');
      let opened = false;
      source = new EventSource(`/api/live?${query}`);
      source.onopen = () => {
        opened = true;
        failures = 0;
        latest.current.onStatus?.('live');
        catchUp(); // whatever happened before the stream was listening
      };
      source.onmessage = (message) => {
        const event = parseLiveEvent(message.data);
        if (!event) return;
        // The cache of the whole tab: this page's queries, the header's counts, the bell.
        void applyLiveEvent(client, event);
        latest.current.onEvent?.(event);
      };
      source.addEventListener('reset', () => {
        catchUp();
        latest.current.onCatchUp?.();
      });
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED) {
          if (opened) return; // the browser reconnects with Last-Event-ID by itself
          if (++failures >= FAILURES_BEFORE_POLLING) startPolling();
          return;
        }
        // Refused (503 from an instance that is shutting down, 429): the browser gives up, even on
        // a stream that was open. Try again in a moment, which a load balancer sends elsewhere;
        // the new stream's open catches up. Poll after repeated refusals.
        source.close();
        source = null;
        if (++failures >= FAILURES_BEFORE_POLLING) return startPolling();
        latest.current.onStatus?.('connecting');
        retryTimer = setTimeout(connect, 1_000 + Math.random() * 2_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(pollTimer);
      clearTimeout(retryTimer);
    };
  }, [client, query, options.enabled]);
}
