import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { log } from '../log';
import { liveBusOutbox, liveEventsPublished } from '../metrics/metrics';
import { BACKLOG_SIZE, type LiveBus, type PublishOptions, type Replay } from './bus';
import { compareEventIds, parseLiveEvent, type LiveEvent, type NewLiveEvent } from './events';
import { MemoryBus } from './memory-bus';

const STREAM = 'dispatch:live';
const STREAM_MAX = 10_000; // bounded backlog in Redis, trimmed approximately (cheap)
/** Events kept while Redis is away, oldest dropped first (then every page resyncs anyway). */
const OUTBOX_MAX = 10_000;
/** How long a `once` key holds: longer than instances take to see one change (the rescan is 60 s). */
const ONCE_MS = 90_000;
/** How long a content event from another instance waits for this instance's store to apply it. */
const HOLD_MS = 2_000;

// XADD only if no instance has published this change yet: one round trip, atomic.
const ADD_ONCE = `
if ARGV[1] ~= '' and not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return false end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[4], 'o', ARGV[5], 'k', ARGV[1])`;

/** `once` is the hashed key (or ''), the same on every instance for one content change. */
type Pending = { event: NewLiveEvent; once: string; origin: string };

export type RedisBusStats = { outbox: number; down: boolean };

/**
 * Live events through one Redis stream shared by every instance (docs/decisions/008-live-events.md,
 * 016-drain-and-outages.md). XADD gives each event an id from Redis's clock, the one clock every
 * instance agrees on; every instance reads the stream with a blocking XREAD and fans out locally. A
 * reconnecting browser replays from the stream, whichever instance it lands on.
 *
 * While Redis is away, an event is delivered at once to this instance's pages (without an SSE id)
 * and kept in a bounded outbox, which is written to the stream in order as soon as Redis is back,
 * so the other instances' pages get it then. Each instance that was cut off also tells its pages
 * to resync when its reader gets through again, which covers an outbox that overflowed or an
 * instance that died meanwhile.
 */
export class RedisBus implements LiveBus {
  private local = new MemoryBus();
  /** The last stream id read; null until the reader first gets through (then: the stream's newest). */
  private lastId: string | null = null;
  private running = true;
  private down = false;
  private readerCutOff = false;
  private loop: Promise<void>;
  private outbox: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** This bus's mark on what it writes, to know its own outbox events when it reads them back. */
  private readonly origin = randomUUID();
  /** Outbox events this instance already delivered locally, by their mark. */
  private deliveredLocally = new Set<string>();
  private seq = 0;
  /** Content changes this instance's own store has applied, by key, until when to remember them. */
  private applied = new Map<string, number>();
  /** Content events from other instances waiting for this instance's store to apply the change. */
  private held = new Map<string, { event: LiveEvent; timer: NodeJS.Timeout }>();
  /** Keys whose event went out before this instance's store had the change (a slower watcher). */
  private early = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis = redis.duplicate(),
  ) {
    // A duplicated client has no listeners: without one, ioredis reports every failed reconnect
    // as an unhandled error. Outages are logged once by reportDown().
    this.reader.on('error', () => undefined);
    // A read in flight when the connection dropped is sent again by ioredis and may not fail.
    this.reader.on('close', () => (this.readerCutOff = true));
    this.redis.on('ready', () => void this.flush());
    this.loop = this.readLoop();
  }

  /** For metrics and health: events waiting for Redis, and whether it is known to be away. */
  get stats(): RedisBusStats {
    return { outbox: this.outbox.length, down: this.down };
  }

  async publish(event: NewLiveEvent, options: PublishOptions = {}): Promise<LiveEvent | null> {
    const once = options.once ? createHash('sha1').update(options.once).digest('base64url') : '';
    if (once) this.noteApplied(once);
    const pending: Pending = { event, once, origin: `${this.origin}:${this.seq++}` };
    if (this.outbox.length === 0) {
      try {
        await whenReady(this.redis, this.down ? 0 : 1_000); // during a known outage, don't wait
        const id = await this.add(pending);
        if (id) {
          liveEventsPublished.inc();
          return { ...event, id };
        }
        // Another instance published it first. If its event already went to this instance's pages
        // before this store had the change, their refetch missed it: tell them again, here only.
        if (this.early.delete(once)) return this.local.publishUnsequenced(event);
        return null;
      } catch (error) {
        this.reportDown(error);
      }
    }
    // Redis is away, or earlier events still wait for it: keep this one behind them, in order.
    this.outbox.push(pending);
    if (this.outbox.length > OUTBOX_MAX) this.deliveredLocally.delete(this.outbox.shift()!.origin);
    liveBusOutbox.set(this.outbox.length);
    this.deliveredLocally.add(pending.origin);
    void this.flush();
    return this.local.publishUnsequenced(event); // this instance's pages get it now
  }

  private async add({ event, once, origin }: Pending): Promise<string | null> {
    const id = await this.redis.eval(
      ADD_ONCE,
      2,
      STREAM,
      `dispatch:live:once:${once}`,
      once,
      String(ONCE_MS),
      String(STREAM_MAX),
      JSON.stringify(event),
      origin,
    );
    return typeof id === 'string' ? id : null;
  }

  /** Writes the outbox to the stream, oldest first, while Redis takes it. */
  private flush(): Promise<void> {
    if (this.flushing || this.outbox.length === 0 || this.redis.status !== 'ready')
      return this.flushing ?? Promise.resolve();
    const run = async () => {
      const count = this.outbox.length;
      try {
        while (this.outbox.length) {
          const next = this.outbox[0]!;
          // Another instance already published the same change: its copy reaches everyone.
          if ((await this.add(next)) === null) this.deliveredLocally.delete(next.origin);
          this.outbox.shift();
          liveBusOutbox.set(this.outbox.length);
        }
        log.info('live', `Redis is back: ${count} event(s) kept meanwhile are published`);
      } catch (error) {
        this.reportDown(error); // still away: the next 'ready' tries again
      } finally {
        this.flushing = null;
      }
    };
    this.flushing = run();
    return this.flushing;
  }

  /**
   * This instance's store has applied a content change: an event for it from another instance that
   * was waiting goes to this instance's pages now, when a refetch will find it here.
   */
  private noteApplied(key: string) {
    const now = Date.now();
    for (const [k, until] of this.applied) {
      if (until > now) break; // in insertion order: the rest are newer
      this.applied.delete(k);
    }
    for (const [k, until] of this.early) {
      if (until > now) break;
      this.early.delete(k);
    }
    this.applied.set(key, now + ONCE_MS);
    const waiting = this.held.get(key);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.held.delete(key);
      this.local.deliver(waiting.event);
    }
  }

  /**
   * Delivers an event read from the stream. A content change published by another instance waits
   * (up to HOLD_MS) until this instance's store has it too: instances watching one folder see a
   * file at slightly different times, and a page told of a change its own instance has not
   * applied yet would refetch and find nothing.
   */
  private receive(event: LiveEvent, key: string | undefined) {
    if (!key || this.applied.has(key)) return void this.local.deliver(event);
    if (this.held.has(key)) return;
    const timer = setTimeout(() => {
      // Not applied here in time (a slow watcher, or an instance with other content): deliver.
      this.held.delete(key);
      this.early.set(key, Date.now() + ONCE_MS);
      this.local.deliver(event);
    }, HOLD_MS);
    timer.unref();
    this.held.set(key, { event, timer });
  }

  subscribe(listener: (event: LiveEvent) => void) {
    return this.local.subscribe(listener);
  }

  onResync(listener: () => void) {
    return this.local.onResync(listener);
  }

  async since(id: string): Promise<Replay> {
    try {
      await whenReady(this.redis, this.down ? 0 : 1_000);
      const [oldest] = await this.redis.xrange(STREAM, '-', '+', 'COUNT', 1);
      if (oldest && compareEventIds(id, oldest[0]) < 0) return { reset: true };
      const entries = await this.redis.xrange(STREAM, `(${id}`, '+', 'COUNT', BACKLOG_SIZE);
      return {
        events: entries
          .map(([entryId, fields]) => toEvent(entryId, fields))
          .filter((e): e is LiveEvent => e !== null),
      };
    } catch (error) {
      this.reportDown(error);
      return this.local.since(id);
    }
  }

  private async readLoop() {
    while (this.running) {
      try {
        await whenReady(this.reader, 5_000);
        // Start from the stream's newest entry as Redis has it: the instance's own clock, which
        // may be off from Redis's, never decides what is skipped.
        if (this.lastId === null) {
          const [newest] = await this.reader.xrevrange(STREAM, '+', '-', 'COUNT', 1);
          this.lastId = newest?.[0] ?? '0-0';
        }
        const result = (await this.reader.xread(
          'COUNT',
          500,
          'BLOCK',
          5_000,
          'STREAMS',
          STREAM,
          this.lastId,
        )) as [string, [string, string[]][]][] | null;
        if (this.readerCutOff) {
          // Whatever was published while this reader was away and is not in the stream now (an
          // overflowed outbox, an instance that died) is lost to it: open pages catch up instead.
          this.readerCutOff = false;
          this.local.resync();
        }
        if (this.down && this.outbox.length === 0) {
          log.info('live', 'Redis is back: cross-instance events resumed');
          this.down = false;
        }
        if (this.outbox.length) void this.flush(); // a flush that failed while the reader got through
        for (const [, entries] of result ?? []) {
          for (const [entryId, fields] of entries) {
            this.lastId = entryId;
            const { o: origin, k: key } = fieldsOf(fields);
            if (origin && this.deliveredLocally.delete(origin)) continue; // its pages had it during the outage
            const event = toEvent(entryId, fields);
            if (event) this.receive(event, key);
          }
        }
      } catch (error) {
        if (!this.running) break;
        this.readerCutOff = true;
        this.reportDown(error);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private reportDown(error: unknown) {
    if (!this.down)
      log.error(
        'live',
        `Redis unavailable, events are delivered on this instance and kept for the others: ${error instanceof Error ? error.message : String(error)}`,
      );
    this.down = true;
  }

  async close() {
    this.running = false;
    this.reader.disconnect();
    await this.loop.catch(() => undefined);
    for (const { timer } of this.held.values()) clearTimeout(timer);
    this.held.clear();
    await this.local.close();
  }
}

/** A stream entry's fields (`e` the event, `o` its writer's mark, `k` its once-key) by name. */
function fieldsOf(fields: string[]): Record<string, string | undefined> {
  const named: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) named[fields[i]!] = fields[i + 1]!;
  return named;
}

function toEvent(id: string, fields: string[]): LiveEvent | null {
  const data = fieldsOf(fields).e;
  return data ? parseLiveEvent(JSON.stringify({ ...JSON.parse(data), id })) : null;
}

/**
 * Commands fail at once while disconnected (no offline queue: an outage must not pile up work),
 * so wait briefly for a connection that is still being made, e.g. just after start.
 */
function whenReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (ms <= 0) return Promise.reject(new Error(`Redis not ready (${redis.status})`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not ready (${redis.status})`));
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
