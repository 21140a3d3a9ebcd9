import type Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { getRedis } from '../server';

export type LimitRule = { key: string; points: number; durationSeconds: number; blockSeconds?: number };

/**
 * A rate limiter: in memory on one instance, in Redis when REDIS_URL is set (shared by all
 * instances), with an in-memory insurance limiter that takes over while Redis is away, so limits
 * stay on (fail closed, per instance) instead of being skipped (SECURITY P29).
 */
export function createLimiter(rule: LimitRule, redis: Redis | null = getRedis()): RateLimiterAbstract {
  const options = {
    keyPrefix: `dispatch:rl:${rule.key}`,
    points: rule.points,
    duration: rule.durationSeconds,
    blockDuration: rule.blockSeconds ?? 0,
  };
  const memory = new RateLimiterMemory(options);
  if (!redis) return memory;
  return new RateLimiterRedis({
    ...options,
    storeClient: redis,
    insuranceLimiter: memory,
    rejectIfRedisNotReady: true,
  });
}

/** Seconds until `key` may try again, or 0 when it may now; consumes nothing (limits that count only failures). */
export async function waitFor(limiter: RateLimiterAbstract, key: string): Promise<number> {
  const state = await limiter.get(key);
  return state && state.remainingPoints <= 0 && state.msBeforeNext > 0
    ? Math.ceil(state.msBeforeNext / 1000)
    : 0;
}

/** Seconds until `key` may try again, or 0 when it may now (consumes one point when allowed). */
export async function consume(limiter: RateLimiterAbstract, key: string, points = 1): Promise<number> {
  try {
    await limiter.consume(key, points);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}
