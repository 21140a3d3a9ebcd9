import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@/lib/db/client';
import { withDatabase } from '@/lib/http/json';

// A PostgreSQL that is down: nothing listens on this port, so connecting fails as it would.
const down = openDatabase({ dialect: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }, 1);
vi.mock('@/lib/server', async (original) => ({
  ...(await original<typeof import('@/lib/server')>()),
  getDb: () => down.ready,
}));
afterAll(() => down.db.destroy().catch(() => undefined));

describe('API routes while the database is down', () => {
  it('answer 503 with Retry-After and the one JSON error shape, not a 500', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { GET } = await import('./route');
    const res = await GET(new Request('http://x/api/replies/counts?articles=a,b'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ code: 'unavailable', message: expect.any(String) });
  });

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
  });
});
