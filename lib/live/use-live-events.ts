'use client';
import { useEffect, useRef } from 'react';
import { liveQuery, parseLiveEvent, type LiveEvent, type LiveSubscription } from './events';

/** A window event carrying each live event the page's stream receives. */
export const LIVE_EVENT = 'dispatch:live-event';

export type LiveStatus = 'connecting' | 'live' | 'polling' | 'paused' | 'ended';

type Options = {
  enabled: boolean;
  onEvent: (event: LiveEvent) => void;
  /** Called instead of events while server-sent events can't get through (SPEC §6 fallback). */
  onPoll: () => void;
  onStatus?: (status: LiveStatus) => void;
  /** Each time the stream (re)opens: catch up on anything that happened before it was listening. */
  onOpen?: () => void;
  /** A `reset` means events were missed beyond the backlog: refetch everything. */
  onReset: () => void;
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

    const poll = () => {
      latest.current.onPoll();
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
        latest.current.onOpen?.();
      };
      source.onmessage = (message) => {
        const event = parseLiveEvent(message.data);
        if (!event) return;
        latest.current.onEvent(event);
        // The header's "Following" count listens too, without a second EventSource.
        window.dispatchEvent(new CustomEvent(LIVE_EVENT, { detail: event }));
      };
      source.addEventListener('reset', () => latest.current.onReset());
      source.onerror = () => {
        if (opened) return; // the browser reconnects with Last-Event-ID by itself
        if (++failures >= FAILURES_BEFORE_POLLING || source?.readyState === EventSource.CLOSED)
          startPolling();
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(pollTimer);
      clearTimeout(retryTimer);
    };
  }, [query, options.enabled]);
}
