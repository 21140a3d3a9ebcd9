import { getRedis } from '../redis/client';
import type { LiveBus } from './bus';
import { MemoryBus } from './memory-bus';
import { RedisBus } from './redis-bus';

const KEY = Symbol.for('dispatch.live.bus');

/** The process's live bus: Redis when REDIS_URL is set, in-process otherwise. On globalThis
 * because route handlers, actions and the content watcher are bundled separately. */
export function getLiveBus(): LiveBus {
  const g = globalThis as typeof globalThis & { [KEY]?: LiveBus };
  if (!g[KEY]) {
    const redis = getRedis();
    g[KEY] = redis ? new RedisBus(redis) : new MemoryBus();
  }
  return g[KEY];
}
