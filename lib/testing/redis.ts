import Redis from 'ioredis';

const REDIS_TEST_URL = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers; throws when REQUIRE_REDIS=1 (CI) and it doesn't; prints why it skips otherwise. */
export async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(REDIS_TEST_URL, {
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
      throw new Error(`Redis is required (REQUIRE_REDIS=1) but does not answer at ${REDIS_TEST_URL}`);
    console.warn(`Redis tests skipped: no server at ${REDIS_TEST_URL}`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A client configured like the app's (fail fast, reconnect by itself), with errors silenced. */
export function testRedisClient(url = REDIS_TEST_URL): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 500,
    retryStrategy: () => 200,
  });
  client.on('error', () => undefined);
  return client;
}
