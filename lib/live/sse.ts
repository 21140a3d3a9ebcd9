import type { LiveBus } from './bus';
import {
  compareEventIds,
  liveEventIdPattern,
  matchesSubscription,
  type LiveEvent,
  type LiveSubscription,
} from './events';

export const HEARTBEAT_MS = 15_000; // SSE §9.2.7: a comment at least every 15 s keeps proxies open
const RETRY_MS = 2_000;
const encoder = new TextEncoder();

/** One SSE frame. Data is JSON (one line), so no field can break the framing. */
export const eventFrame = (event: LiveEvent) => `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
export const namedFrame = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

type Stream = {
  close: (final?: string) => void;
  lastWrite: number;
  expiresAt: number;
  write: (chunk: Uint8Array) => void;
};
// On globalThis: the route handler and instrumentation.ts (which closes streams on SIGTERM) are
// bundled separately, and both must see the same set.
const OPEN = Symbol.for('dispatch.live.streams');
const open: Set<Stream> = ((globalThis as Record<symbol, unknown>)[OPEN] ??=
  new Set<Stream>()) as Set<Stream>;

/** How many streams this process has open (for tests and the benchmark). */
export const openStreamCount = () => open.size;

// Memory per idle stream is the budget that matters with thousands of readers (docs/benchmarks.md),
// so streams own no timers: one ticker sends heartbeats to streams idle for 15 s and closes those
// past their age, and each event is framed once however many streams it goes to.
const PING = encoder.encode(': ping\n\n');
const TICK_MS = 1_000;
const TICKER = Symbol.for('dispatch.live.ticker');
function ensureTicker() {
  const g = globalThis as Record<symbol, NodeJS.Timeout | undefined>;
  if (g[TICKER]) return;
  g[TICKER] = setInterval(() => {
    const now = Date.now();
    for (const stream of open) {
      if (now >= stream.expiresAt) stream.close(': max age reached, reconnect\n\n');
      else if (now - stream.lastWrite >= HEARTBEAT_MS) {
        stream.lastWrite = now;
        stream.write(PING);
      }
    }
  }, TICK_MS);
  g[TICKER].unref();
}
function stopTicker() {
  const g = globalThis as Record<symbol, NodeJS.Timeout | undefined>;
  clearInterval(g[TICKER]);
  g[TICKER] = undefined;
}

const frames = new WeakMap<LiveEvent, Uint8Array>();
const frameOf = (event: LiveEvent) => {
  let frame = frames.get(event);
  if (!frame) frames.set(event, (frame = encoder.encode(eventFrame(event))));
  return frame;
};

/**
 * Starts one client's stream: replays what it missed after `lastEventId` (exactly once, in order,
 * or a `reset` event when that is older than the backlog), then forwards live events it
 * subscribed to and sends heartbeats. Returns a function that releases everything.
 */
export function openLiveStream(
  bus: LiveBus,
  sub: LiveSubscription,
  lastEventId: string | null,
  write: (chunk: Uint8Array) => void,
  end: () => void,
  maxAgeMs = 15 * 60_000,
): () => void {
  let closed = false;
  let held: LiveEvent[] | null = []; // live events that arrive during the replay; null once it is out
  let lastSent = lastEventId && liveEventIdPattern.test(lastEventId) ? lastEventId : null; // garbage counts as absent
  const stream: Stream = {
    lastWrite: Date.now(),
    expiresAt: Date.now() + maxAgeMs, // then the browser reconnects with Last-Event-ID and misses nothing
    write(chunk) {
      if (closed) return;
      stream.lastWrite = Date.now();
      write(chunk);
    },
    close(final) {
      if (closed) return;
      if (final) stream.write(encoder.encode(final));
      closed = true;
      unsubscribe();
      open.delete(stream);
      if (open.size === 0) stopTicker();
      end();
    },
  };
  const forward = (event: LiveEvent) => {
    if (!matchesSubscription(event, sub)) return;
    if (lastSent && compareEventIds(event.id, lastSent) <= 0) return; // already sent in the replay
    lastSent = event.id;
    stream.write(frameOf(event));
  };

  // Subscribe before replaying, holding live events until the replay is out, so none falls between.
  const unsubscribe = bus.subscribe((event) => (held ? held.push(event) : forward(event)));
  stream.write(encoder.encode(`retry: ${RETRY_MS}\n: connected\n\n`));
  open.add(stream);
  ensureTicker();

  void (async () => {
    if (lastSent) {
      const replay = await bus.since(lastSent).catch(() => ({ reset: true as const }));
      if ('reset' in replay)
        stream.write(
          encoder.encode(namedFrame('reset', { reason: 'the missed events are no longer available' })),
        );
      else replay.events.forEach(forward);
    }
    const waiting = held ?? [];
    held = null;
    waiting.forEach(forward);
  })();

  return () => stream.close();
}

/** Ends every open stream with a final `shutdown` event (SIGTERM), so the process can exit. */
export function closeAllStreams() {
  const final = namedFrame('shutdown', { retryMs: RETRY_MS });
  for (const stream of [...open]) stream.close(final);
}

/** Streams per client address (SECURITY P27): enough for many tabs, not for exhausting the server. */
export const MAX_STREAMS_PER_CLIENT = 32;
const CLIENTS = Symbol.for('dispatch.live.clients');
const perClient: Map<string, number> = ((globalThis as Record<symbol, unknown>)[CLIENTS] ??= new Map<
  string,
  number
>()) as Map<string, number>;

/** Counts a stream for `client`; false when it already has the maximum. */
export function admitStream(client: string): boolean {
  const count = perClient.get(client) ?? 0;
  if (count >= MAX_STREAMS_PER_CLIENT) return false;
  perClient.set(client, count + 1);
  return true;
}

export function releaseStream(client: string) {
  const count = (perClient.get(client) ?? 1) - 1;
  if (count <= 0) perClient.delete(client);
  else perClient.set(client, count);
}
