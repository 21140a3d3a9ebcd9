import type Redis from 'ioredis';
import { redisAvailable, testRedisClient } from '../testing/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { consume, createLimiter, waitFor } from './limiter';

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

  it('tells the wait without consuming anything (limits that count only failures)', async () => {
    const limiter = createLimiter({ key: `w-${Date.now()}`, points: 2, durationSeconds: 60 }, null);
    expect(await waitFor(limiter, 'a')).toBe(0);
    await consume(limiter, 'a');
    expect(await waitFor(limiter, 'a')).toBe(0);
    expect(await waitFor(limiter, 'a')).toBe(0); // asking twice cost nothing
    await consume(limiter, 'a');
    const wait = await waitFor(limiter, 'a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
  });
});

const redisUp = await redisAvailable();

describe.skipIf(!redisUp)('createLimiter with Redis', () => {
  const clients: Redis[] = [];
  const client = (url?: string) => {
    const c = testRedisClient(url);
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
