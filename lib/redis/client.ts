import Redis from 'ioredis';
import { config } from '../env';
import { log } from '../log';

const KEY = Symbol.for('dispatch.redis');

/**
 * The process's Redis connection, or null without REDIS_URL. Calls fail fast while Redis is
 * away (no offline queue, one retry) and the client reconnects by itself; the outage is logged
 * once per disconnect, not per call (SECURITY P29).
 */
export function getRedis(): Redis | null {
  if (!config.REDIS_URL) return null;
  const g = globalThis as typeof globalThis & { [KEY]?: Redis };
  if (!g[KEY]) {
    const redis = new Redis(config.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 100, 1_000), // back within a second of Redis returning
    });
    let down = false;
    redis.on('error', (error) => {
      if (!down) log.error('redis', `unavailable: ${error.message}`);
      down = true;
    });
    redis.on('ready', () => {
      if (down) log.info('redis', 'reconnected');
      down = false;
    });
    g[KEY] = redis;
  }
  return g[KEY];
}
