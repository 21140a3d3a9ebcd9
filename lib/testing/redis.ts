import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
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

/**
 * A Redis server of the test's own on a free port, which it may stop and start again (an outage)
 * without touching a Redis anything else uses.
 */
export async function startPrivateRedis() {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const probe = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect().catch(() => undefined);
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    probe.disconnect();
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
