import Redis from 'ioredis';
import { log } from '../log';
import { watchRedis } from '../metrics/metrics';

/**
 * A Redis connection (the composition root, lib/server.ts, makes the process's one). Calls fail
 * fast while Redis is away (no offline queue, one retry) and the client reconnects by itself; the
 * outage is logged once per disconnect, not per call (SECURITY P29).
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Back within a quarter second of Redis returning: events kept meanwhile go out then (ADR 016).
    retryStrategy: (times) => Math.min(times * 50, 250),
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
  watchRedis(redis); // dispatch_redis_up in /metrics
  return redis;
}
