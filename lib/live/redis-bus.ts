import type Redis from 'ioredis';
import { log } from '../log';
import { BACKLOG_SIZE, type LiveBus, type Replay } from './bus';
import { compareEventIds, parseLiveEvent, type LiveEvent, type NewLiveEvent } from './events';
import { MemoryBus } from './memory-bus';

const STREAM = 'dispatch:live';
const STREAM_MAX = 10_000; // bounded backlog in Redis, trimmed approximately (cheap)

/**
 * Live events through one Redis stream shared by every instance (docs/decisions/008-live-events.md).
 * XADD gives each event a global, increasing id; every instance reads the stream with a blocking
 * XREAD and fans out locally. A reconnecting browser replays from the stream, whichever instance
 * it lands on. While Redis is away, events are delivered locally only and the outage is logged;
 * the reader resumes from its last id when Redis returns, so nothing published meanwhile by
 * others is missed.
 */
export class RedisBus implements LiveBus {
  private local = new MemoryBus();
  // Read from the moment this bus was made, not from whatever is newest when the reader first
  // gets through: an event published by another instance in between would be skipped.
  private lastId = `${Date.now()}-0`;
  private running = true;
  private down = false;
  private loop: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis = redis.duplicate(),
  ) {
    // A duplicated client has no listeners: without one, ioredis reports every failed reconnect
    // as an unhandled error. Outages are logged once by reportDown().
    this.reader.on('error', () => undefined);
    this.loop = this.readLoop();
  }

  async publish(event: NewLiveEvent): Promise<LiveEvent> {
    try {
      await whenReady(this.redis, this.down ? 0 : 1_000); // during a known outage, don't wait
      const id = await this.redis.xadd(
        STREAM,
        'MAXLEN',
        '~',
        String(STREAM_MAX),
        '*',
        'e',
        JSON.stringify(event),
      );
      return { ...event, id: id! };
    } catch (error) {
      this.reportDown(error);
      return this.local.publish(event); // local browsers still get it
    }
  }

  subscribe(listener: (event: LiveEvent) => void) {
    return this.local.subscribe(listener);
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
        const result = (await this.reader.xread(
          'COUNT',
          500,
          'BLOCK',
          5_000,
          'STREAMS',
          STREAM,
          this.lastId,
        )) as [string, [string, string[]][]][] | null;
        if (this.down) {
          log.info('live', 'Redis is back: cross-instance events resumed');
          this.down = false;
        }
        for (const [, entries] of result ?? []) {
          for (const [entryId, fields] of entries) {
            this.lastId = entryId;
            const event = toEvent(entryId, fields);
            if (event) this.local.deliver(event);
          }
        }
      } catch (error) {
        if (!this.running) break;
        this.reportDown(error);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  private reportDown(error: unknown) {
    if (!this.down)
      log.error(
        'live',
        `Redis unavailable, events stay on this instance: ${error instanceof Error ? error.message : String(error)}`,
      );
    this.down = true;
  }

  async close() {
    this.running = false;
    this.reader.disconnect();
    await this.loop.catch(() => undefined);
    await this.local.close();
  }
}

function toEvent(id: string, fields: string[]): LiveEvent | null {
  const data = fields[fields.indexOf('e') + 1];
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
