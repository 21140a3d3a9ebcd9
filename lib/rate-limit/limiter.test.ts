import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { consume, createLimiter } from './limiter';

describe('createLimiter in memory', () => {
  it('allows up to the limit, then says how long to wait, per key', async () => {
    const limiter = createLimiter({ key: `t-${Date.now()}`, points: 2, durationSeconds: 60 }, null);
    expect(await consume(limiter, 'a')).toBe(0);
    expect(await consume(limiter, 'a')).toBe(0);
    const wait = await consume(limiter, 'a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await consume(limiter, 'b')).toBe(0); // another actor is not affected
  });
});

const REDIS_URL = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    if (process.env.REQUIRE_REDIS === '1')
      throw new Error(`Redis is required (REQUIRE_REDIS=1) but does not answer at ${REDIS_URL}`);
    console.warn(`Redis limiter tests skipped: no server at ${REDIS_URL}`);
    return false;
  } finally {
    probe.disconnect();
  }
})();

describe.skipIf(!redisUp)('createLimiter with Redis', () => {
  const clients: Redis[] = [];
  const client = (url = REDIS_URL) => {
    const c = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 500,
      retryStrategy: () => 1000,
    });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  afterAll(() => clients.forEach((c) => c.disconnect()));

  it('shares one limit between instances', async () => {
    const rule = { key: `shared-${Date.now()}`, points: 3, durationSeconds: 60 };
    const a = createLimiter(rule, client());
    const b = createLimiter(rule, client());
    await new Promise((r) => setTimeout(r, 100)); // let both connect
    expect(await consume(a, 'ip')).toBe(0);
    expect(await consume(b, 'ip')).toBe(0);
    expect(await consume(a, 'ip')).toBe(0);
    expect(await consume(b, 'ip')).toBeGreaterThan(0);
  });

  it('keeps limiting in memory while Redis is away (insurance)', async () => {
    const limiter = createLimiter(
      { key: `down-${Date.now()}`, points: 1, durationSeconds: 60 },
      client('redis://127.0.0.1:1'),
    );
    expect(await consume(limiter, 'ip')).toBe(0);
    expect(await consume(limiter, 'ip')).toBeGreaterThan(0);
  });
});
