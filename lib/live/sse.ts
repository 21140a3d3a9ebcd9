import { config } from '../env';
import { liveBusLagSeconds, liveEventsDelivered, liveStreamsOpen } from '../metrics/metrics';
import { isUnsequenced, type LiveBus } from './bus';
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
const namedFrame = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** Where a stream's bytes go: the route passes a thin wrapper over Node's response. */
export type LiveSink = { write(chunk: Uint8Array): unknown; end(): unknown };

// Memory per idle stream is the budget that matters with thousands of readers (docs/benchmarks.md),
// so a stream is one small object with no closures or timers of its own: one ticker sends
// heartbeats to streams idle for 15 s and closes those past their age, one bus listener per bus
// hands each event to the streams subscribed to its topics or article (an index, not a listener
// per stream), and each event is framed once however many streams it goes to.
const PING = encoder.encode(': ping\n\n');
const CONNECTED = encoder.encode(`retry: ${RETRY_MS}\n: connected\n\n`);
const TICK_MS = 1_000;

const frames = new WeakMap<LiveEvent, Uint8Array>();
const frameOf = (event: LiveEvent) => {
  let frame = frames.get(event);
  if (!frame) {
    // Not yet in the shared order (a Redis outage, lib/live/redis-bus.ts): no `id:` line, so the
    // browser keeps the last real id and its next replay includes the event's shared copy.
    const text = isUnsequenced(event) ? `data: ${JSON.stringify(event)}\n\n` : eventFrame(event);
    frames.set(event, (frame = encoder.encode(text)));
  }
  return frame;
};
const RESYNC = encoder.encode(namedFrame('reset', { reason: 'live events may have been missed' }));

/** One bus subscription for all of this process's streams on that bus, indexed by what they follow. */
class Hub {
  private readonly byTopic = new Map<string, Set<LiveStream>>();
  private readonly byArticle = new Map<string, Set<LiveStream>>();
  private streams = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly bus: LiveBus,
    private readonly hubs: WeakMap<LiveBus, Hub>,
  ) {
    const unsubscribe = bus.subscribe((event) => this.dispatch(event));
    const unResync = bus.onResync(() => this.resync());
    this.unsubscribe = () => {
      unsubscribe();
      unResync();
    };
  }

  /** Every stream of this hub may have missed events: their pages refetch (a `reset`). */
  private resync() {
    const all = new Set([...this.byTopic.values(), ...this.byArticle.values()].flatMap((set) => [...set]));
    for (const stream of all) stream.write(RESYNC);
  }

  /** A stream subscribed to several of an event's topics (or its topic and article) is handed it
   * more than once; `LiveStream.send` drops the repeats, as it drops what a replay already sent. */
  private dispatch(event: LiveEvent) {
    liveBusLagSeconds.observe(Math.max(0, Date.now() - event.at) / 1000);
    const forArticle = event.article ? this.byArticle.get(event.article) : undefined;
    if (forArticle) for (const stream of forArticle) stream.deliver(event);
    for (const topic of event.topics) {
      const forTopic = this.byTopic.get(topic);
      if (forTopic) for (const stream of forTopic) stream.deliver(event);
    }
  }

  add(stream: LiveStream) {
    this.streams++;
    if (stream.sub.article) indexAdd(this.byArticle, stream.sub.article, stream);
    for (const topic of stream.sub.topics) indexAdd(this.byTopic, topic, stream);
  }

  remove(stream: LiveStream) {
    if (stream.sub.article) indexRemove(this.byArticle, stream.sub.article, stream);
    for (const topic of stream.sub.topics) indexRemove(this.byTopic, topic, stream);
    if (--this.streams === 0) {
      this.unsubscribe();
      this.hubs.delete(this.bus);
    }
  }
}
function indexAdd(index: Map<string, Set<LiveStream>>, key: string, stream: LiveStream) {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(stream);
}
function indexRemove(index: Map<string, Set<LiveStream>>, key: string, stream: LiveStream) {
  const set = index.get(key);
  if (set?.delete(stream) && set.size === 0) index.delete(key);
}

class LiveStream {
  lastWrite = Date.now();
  readonly expiresAt: number;
  closed = false;
  /** Live events that arrive while the replay is read; null once it is out. */
  held: LiveEvent[] | null = [];
  /** The newest event id this client has (sent now or before it reconnected). */
  lastSent: string | null;

  constructor(
    private readonly streams: LiveStreams,
    private readonly hub: Hub,
    readonly sub: LiveSubscription,
    lastEventId: string | null,
    private readonly sink: LiveSink,
    maxAgeMs: number,
  ) {
    this.expiresAt = this.lastWrite + maxAgeMs; // then the browser reconnects with Last-Event-ID and misses nothing
    this.lastSent = lastEventId && liveEventIdPattern.test(lastEventId) ? lastEventId : null; // garbage counts as absent
  }

  write(chunk: Uint8Array) {
    if (this.closed) return;
    this.lastWrite = Date.now();
    this.sink.write(chunk);
  }

  deliver(event: LiveEvent) {
    if (this.held) this.held.push(event);
    else this.send(event);
  }

  send(event: LiveEvent) {
    if (isUnsequenced(event)) {
      liveEventsDelivered.inc();
      return void this.write(frameOf(event)); // outside the order: see frameOf
    }
    if (this.lastSent && compareEventIds(event.id, this.lastSent) <= 0) return; // already sent
    this.lastSent = event.id;
    liveEventsDelivered.inc();
    this.write(frameOf(event));
  }

  /** Sends what was missed since `lastSent` (if anything), then what arrived meanwhile. */
  async replay(bus: LiveBus) {
    if (this.lastSent) {
      const replay = await bus.since(this.lastSent).catch(() => ({ reset: true as const }));
      if ('reset' in replay)
        this.write(
          encoder.encode(namedFrame('reset', { reason: 'the missed events are no longer available' })),
        );
      else for (const event of replay.events) if (matchesSubscription(event, this.sub)) this.send(event);
    }
    const waiting = this.held ?? [];
    this.held = null;
    for (const event of waiting) this.send(event);
  }

  close(final?: string) {
    if (this.closed) return;
    if (final) this.write(encoder.encode(final));
    this.closed = true;
    this.held = null;
    this.hub.remove(this);
    this.streams.forget(this);
    this.sink.end();
  }
}

/**
 * This process's open streams: one ticker for heartbeats and max age, one bus listener per bus,
 * the count per client address (SECURITY P27). The composition root (lib/server.ts) keeps the
 * process's one, which the route opens streams on and the SIGTERM handler closes.
 */
export class LiveStreams {
  private readonly open = new Set<LiveStream>();
  private readonly hubs = new WeakMap<LiveBus, Hub>();
  private readonly perClient = new Map<string, number>();
  private ticker: NodeJS.Timeout | undefined;

  private admitted = 0;

  constructor(
    /** Streams per client address: enough for many tabs, not for exhausting the server. */
    readonly maxPerClient = config.LIVE_STREAMS_PER_CLIENT,
    /** Streams on this instance: past it, browsers are told to come back later (or go elsewhere). */
    readonly maxTotal = config.LIVE_STREAMS_MAX,
  ) {}

  /** True when this instance holds as many streams as it may. */
  get full() {
    return this.admitted >= this.maxTotal;
  }

  /** How many streams are open (for tests and the benchmark). */
  get count() {
    return this.open.size;
  }

  /**
   * Starts one client's stream: replays what it missed after `lastEventId` (exactly once, in order,
   * or a `reset` event when that is older than the backlog), then forwards live events it
   * subscribed to and sends heartbeats. Returns a function that releases everything.
   */
  openStream(
    bus: LiveBus,
    sub: LiveSubscription,
    lastEventId: string | null,
    sink: LiveSink,
    maxAgeMs = 15 * 60_000,
  ): () => void {
    let hub = this.hubs.get(bus);
    if (!hub) this.hubs.set(bus, (hub = new Hub(bus, this.hubs)));
    const stream = new LiveStream(this, hub, sub, lastEventId, sink, maxAgeMs);
    // Subscribed before the replay is read, holding live events until it is out, so none falls between.
    hub.add(stream);
    stream.write(CONNECTED);
    this.open.add(stream);
    liveStreamsOpen.inc();
    this.ensureTicker();
    if (stream.lastSent) void stream.replay(bus);
    else stream.held = null; // nothing to replay
    return () => stream.close();
  }

  /** Ends every open stream with a final `shutdown` event (SIGTERM), so the process can exit. */
  closeAll() {
    const final = namedFrame('shutdown', { retryMs: RETRY_MS });
    for (const stream of [...this.open]) stream.close(final);
  }

  /** Counts a stream for `client`; false when it already has the maximum. */
  admit(client: string): boolean {
    const count = this.perClient.get(client) ?? 0;
    if (count >= this.maxPerClient || this.full) return false;
    this.perClient.set(client, count + 1);
    this.admitted++;
    return true;
  }

  release(client: string) {
    if (!this.perClient.has(client)) return;
    this.admitted--;
    const count = this.perClient.get(client)! - 1;
    if (count <= 0) this.perClient.delete(client);
    else this.perClient.set(client, count);
  }

  /** Called by a stream as it closes. */
  forget(stream: LiveStream) {
    if (this.open.delete(stream)) liveStreamsOpen.dec();
    if (this.open.size === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private ensureTicker() {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      const now = Date.now();
      for (const stream of this.open) {
        if (now >= stream.expiresAt) stream.close(': max age reached, reconnect\n\n');
        else if (now - stream.lastWrite >= HEARTBEAT_MS) stream.write(PING);
      }
    }, TICK_MS);
    this.ticker.unref();
  }
}
