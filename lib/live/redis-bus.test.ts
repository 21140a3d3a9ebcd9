import { afterAll, describe, expect, it, vi } from 'vitest';
import { redisAvailable, startPrivateRedis, testRedisClient } from '../testing/redis';
import { compareEventIds, type LiveEvent } from './events';
import { isUnsequenced } from './bus';
import { RedisBus } from './redis-bus';
import { allowLoggedErrors } from '../testing/log-guard';

const redisUp = await redisAvailable();
const news = (n: number) => ({
  type: 'content.created' as const,
  topics: [`redis-test-${process.pid}`],
  article: `a${n}`,
  at: n,
});
const waitFor = async (check: () => boolean, ms = 3_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.skipIf(!redisUp)('RedisBus across instances', () => {
  const buses: RedisBus[] = [];
  const bus = () => {
    const b = new RedisBus(testRedisClient());
    buses.push(b);
    return b;
  };
  afterAll(async () => Promise.all(buses.map((b) => b.close())));

  it('delivers an event published on instance A to subscribers on instance B, with one increasing id', async () => {
    const a = bus();
    const b = bus();
    await new Promise((r) => setTimeout(r, 200)); // both readers are waiting on the stream
    const onB: LiveEvent[] = [];
    const onA: LiveEvent[] = [];
    b.subscribe((e) => e.topics[0] === news(0).topics[0] && onB.push(e));
    a.subscribe((e) => e.topics[0] === news(0).topics[0] && onA.push(e));
    const first = (await a.publish(news(1)))!;
    const second = (await b.publish(news(2)))!;
    await waitFor(() => onB.length === 2 && onA.length === 2);
    expect(onB.map((e) => e.id)).toEqual([first.id, second.id]);
    expect(onA.map((e) => e.id)).toEqual([first.id, second.id]);
    expect(compareEventIds(second.id, first.id)).toBeGreaterThan(0);
  });

  it('replays from the shared stream, whichever instance a browser reconnects to', async () => {
    const a = bus();
    const b = bus();
    const first = (await a.publish(news(3)))!;
    const second = (await a.publish(news(4)))!;
    const replay = await b.since(first.id);
    expect('events' in replay && replay.events.map((e) => e.id)).toEqual([second.id]);
    expect(await b.since('1-0')).toEqual({ reset: true }); // older than anything the stream holds
  });

  it('keeps delivering locally while Redis is away', async () => {
    const logged = allowLoggedErrors().mockImplementation(() => undefined);
    const down = new RedisBus(testRedisClient('redis://127.0.0.1:1'), testRedisClient('redis://127.0.0.1:1'));
    buses.push(down);
    const seen: LiveEvent[] = [];
    down.subscribe((e) => seen.push(e));
    const event = (await down.publish(news(5)))!;
    expect(seen).toEqual([event]);
    expect(await down.since(event.id)).toEqual({ events: [] });
    expect(logged).toHaveBeenCalledWith(
      'live',
      expect.stringMatching(/^Redis unavailable, events are delivered on this instance/),
    );
  });
});

describe.skipIf(!redisUp)(
  'RedisBus through a Redis outage (a private redis-server, stopped and started)',
  () => {
    it('keeps what A publishes while Redis is down and delivers it on B, in order, soon after Redis is back', async () => {
      const logged = allowLoggedErrors().mockImplementation(() => undefined);
      const redis = await startPrivateRedis();
      const a = new RedisBus(testRedisClient(redis.url));
      const b = new RedisBus(testRedisClient(redis.url));
      try {
        await new Promise((r) => setTimeout(r, 300)); // both readers are waiting on the stream
        const onA: LiveEvent[] = [];
        const onB: LiveEvent[] = [];
        let resyncs = 0;
        a.subscribe((e) => onA.push(e));
        b.subscribe((e) => onB.push(e));
        b.onResync(() => resyncs++);
        await redis.stop();
        for (const n of [11, 12, 13]) await a.publish(news(n));
        expect(onA.map((e) => e.article)).toEqual(['a11', 'a12', 'a13']); // A's own pages: at once,
        expect(onA.every(isUnsequenced)).toBe(true); // without a place in the shared order yet
        expect(onB).toEqual([]);
        expect(a.stats).toEqual({ outbox: 3, down: true });
        await redis.start();
        const back = Date.now();
        await waitFor(() => onB.length === 3, 5_000);
        const took = Date.now() - back;
        expect(onB.map((e) => e.article)).toEqual(['a11', 'a12', 'a13']);
        expect(took).toBeLessThan(2_000);
        await waitFor(() => resyncs > 0); // B's pages catch up on anything else it missed
        expect(a.stats.outbox).toBe(0);
        await new Promise((r) => setTimeout(r, 300));
        expect(onA).toHaveLength(3); // A does not deliver its own events twice
        expect(logged).toHaveBeenCalledWith('live', expect.stringMatching(/^Redis unavailable/));
      } finally {
        await Promise.all([a.close(), b.close()]);
        await redis.stop();
      }
    });

    it('publishes one change once, however many instances publish it', async () => {
      const redis = await startPrivateRedis();
      const a = new RedisBus(testRedisClient(redis.url));
      const b = new RedisBus(testRedisClient(redis.url));
      try {
        await new Promise((r) => setTimeout(r, 300));
        const onB: LiveEvent[] = [];
        b.subscribe((e) => onB.push(e));
        const [fromA, fromB] = await Promise.all([
          a.publish(news(21), { once: 'content.created a21 v1' }),
          b.publish(news(21), { once: 'content.created a21 v1' }),
        ]);
        expect([fromA, fromB].filter(Boolean)).toHaveLength(1);
        await b.publish(news(22), { once: 'content.created a22 v1' });
        await waitFor(() => onB.some((e) => e.article === 'a22'));
        expect(onB.map((e) => e.article)).toEqual(['a21', 'a22']);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await redis.stop();
      }
    });

    it("holds another instance's content event until this instance's store has the change, then delivers it once", async () => {
      const redis = await startPrivateRedis();
      const a = new RedisBus(testRedisClient(redis.url));
      const b = new RedisBus(testRedisClient(redis.url));
      try {
        await new Promise((r) => setTimeout(r, 300));
        const onB: LiveEvent[] = [];
        b.subscribe((e) => onB.push(e));
        // A's store applied the file first; B's watcher is slower.
        expect(await a.publish(news(41), { once: 'content.created a41 v1' })).not.toBeNull();
        await new Promise((r) => setTimeout(r, 400));
        expect(onB).toEqual([]); // a refetch on B now would not find it
        expect(await b.publish(news(41), { once: 'content.created a41 v1' })).toBeNull(); // A published it
        expect(onB.map((e) => e.article)).toEqual(['a41']); // released now, once
        // An instance that never applies it (other content) gets it anyway, a moment later.
        const sent = Date.now();
        await a.publish(news(42), { once: 'content.created a42 v1' });
        await waitFor(() => onB.length === 2, 4_000);
        expect(Date.now() - sent).toBeGreaterThanOrEqual(1_500);
        // Replies are never held.
        await a.publish({ ...news(43), type: 'reply.created' });
        await waitFor(() => onB.length === 3, 500);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await redis.stop();
      }
    });

    it("reads from Redis's own position, whatever the instance's clock says", async () => {
      const redis = await startPrivateRedis();
      const a = new RedisBus(testRedisClient(redis.url));
      // B's host clock runs an hour ahead of Redis's: it must not skip what A publishes now.
      const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 3_600_000);
      const b = new RedisBus(testRedisClient(redis.url));
      clock.mockRestore();
      try {
        await new Promise((r) => setTimeout(r, 300));
        const onB: LiveEvent[] = [];
        b.subscribe((e) => onB.push(e));
        await a.publish(news(31));
        await waitFor(() => onB.length === 1);
        expect(onB[0]!.article).toBe('a31');
      } finally {
        await Promise.all([a.close(), b.close()]);
        await redis.stop();
      }
    });
  },
);
