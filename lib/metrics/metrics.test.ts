import { describe, expect, it } from 'vitest';
import { metricValue } from '../testing/metrics';
import { watchPool, watchRedis } from './metrics';

describe('connection gauges', () => {
  it("read the PostgreSQL pools' connections and waiting queries at each scrape", async () => {
    const pool = { totalCount: 4, idleCount: 1, waitingCount: 0, ended: false };
    watchPool(pool);
    const read = async () => [
      await metricValue('dispatch_db_pool_connections', { state: 'active' }),
      await metricValue('dispatch_db_pool_connections', { state: 'idle' }),
      await metricValue('dispatch_db_pool_waiting'),
    ];
    expect(await read()).toEqual([3, 1, 0]);
    Object.assign(pool, { idleCount: 0, waitingCount: 5 }); // exhausted
    expect(await read()).toEqual([4, 0, 5]);
    pool.ended = true; // a closed pool is forgotten
    expect(await read()).toEqual([0, 0, 0]);
  });

  it('say whether Redis is ready: 1, or 0 while it is away', async () => {
    const redis = { status: 'ready' };
    watchRedis(redis);
    expect(await metricValue('dispatch_redis_up')).toBe(1);
    redis.status = 'reconnecting';
    expect(await metricValue('dispatch_redis_up')).toBe(0);
    redis.status = 'ready';
    expect(await metricValue('dispatch_redis_up')).toBe(1);
  });
});
