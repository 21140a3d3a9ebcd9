import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@/lib/db/client';
import { resetStorageState } from '@/lib/db/storage';
import { DATABASE_DOWN_MESSAGE } from '@/lib/errors';
import { withDatabase } from '@/lib/http/json';
import { allowLoggedErrors } from '@/lib/testing/log-guard';

// A PostgreSQL that is down: nothing listens on this port, so connecting fails as it would.
const down = openDatabase({ dialect: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }, 1);
const database = vi.hoisted(() => ({ stoppedAfterStart: false }));
vi.mock('@/lib/server', async (original) => ({
  ...(await original<typeof import('@/lib/server')>()),
  // Down since start: getDb() itself fails (the migration could not connect). Stopped after start:
  // getDb() gives the pool, and each query fails to connect.
  getDb: () => (database.stoppedAfterStart ? Promise.resolve(down.db) : down.ready),
}));
afterAll(() => down.db.destroy().catch(() => undefined));

describe('API routes while the database is down', () => {
  let logged: ReturnType<typeof allowLoggedErrors>;
  beforeEach(() => {
    resetStorageState();
    logged = allowLoggedErrors().mockImplementation(() => undefined);
  });
  afterEach(() => resetStorageState());

  it.each([
    ['since the server started', false],
    ['after the server started', true],
  ])(
    'answer 503 with Retry-After and the one JSON error shape, not a 500 (down %s)',
    async (_when, after) => {
      database.stoppedAfterStart = after;
      const { GET } = await import('./route');
      for (let i = 0; i < 5; i++) {
        const res = await GET(new Request('http://x/api/replies/counts?articles=a,b'));
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.json()).toEqual({ code: 'unavailable', message: DATABASE_DOWN_MESSAGE });
      }
      // Five requests, one log line (then one a minute with the count), no stack traces.
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged).toHaveBeenCalledWith(
        'db',
        expect.stringMatching(
          /^database unavailable \(ECONNREFUSED\): connect ECONNREFUSED 127\.0\.0\.1:1; /,
        ),
      );
    },
  );

  it('still answer a bad request with 400 in the same shape', async () => {
    const { GET } = await import('./route');
    const res = await GET(new Request('http://x/api/replies/counts?articles=Not_A_Slug'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'invalid', message: expect.stringMatching(/slugs/) });
  });

  it('let errors that are not the database through', async () => {
    const handler = withDatabase(async () => {
      throw new TypeError('a bug');
    });
    await expect(handler()).rejects.toThrow('a bug');
    expect(logged).not.toHaveBeenCalled();
  });
});
