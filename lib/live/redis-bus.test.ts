import { afterAll, describe, expect, it } from 'vitest';
import { redisAvailable, testRedisClient } from '../testing/redis';
import { compareEventIds, type LiveEvent } from './events';
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
    const first = await a.publish(news(1));
    const second = await b.publish(news(2));
    await waitFor(() => onB.length === 2 && onA.length === 2);
    expect(onB.map((e) => e.id)).toEqual([first.id, second.id]);
    expect(onA.map((e) => e.id)).toEqual([first.id, second.id]);
    expect(compareEventIds(second.id, first.id)).toBeGreaterThan(0);
  });

  it('replays from the shared stream, whichever instance a browser reconnects to', async () => {
    const a = bus();
    const b = bus();
    const first = await a.publish(news(3));
    const second = await a.publish(news(4));
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
    const event = await down.publish(news(5));
    expect(seen).toEqual([event]);
    expect(await down.since(event.id)).toEqual({ events: [] });
    expect(logged).toHaveBeenCalledWith(
      'live',
      expect.stringMatching(/^Redis unavailable, events stay on this instance/),
    );
  });
});
