import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricValue } from '../testing/metrics';

const require = createRequire(import.meta.url);
const Handler = require('./page-cache-handler.cjs') as new () => {
  get(key: string): Promise<{ value: unknown; lastModified: number } | null>;
  set(key: string, value: unknown, ctx?: unknown): Promise<void>;
  revalidateTag(): Promise<void>;
};
const { markContentChanged: setChangedAt } = require('./generation.cjs') as typeof import('./generation.cjs');
const page = (html: string) => ({ kind: 'APP_PAGE', html, rscData: Buffer.from('rsc') });

afterEach(() => vi.useRealTimers());

describe('page cache handler', () => {
  it('serves an entry until the content changes, then misses', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(10_000);
    setChangedAt(1_000);
    const cache = new Handler();
    await cache.set('/a', page('<p>one</p>'));
    expect((await cache.get('/a'))?.value).toMatchObject({ html: '<p>one</p>' });
    setChangedAt(10_500);
    expect(await cache.get('/a')).toBeNull();
  });

  it('does not trust a page rendered within a second of a change', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(20_000);
    setChangedAt(19_800); // the render may have started on the old content
    const cache = new Handler();
    await cache.set('/b', page('maybe stale'));
    expect(await cache.get('/b')).toBeNull();
    vi.setSystemTime(21_000);
    await cache.set('/b', page('fresh'));
    expect((await cache.get('/b'))?.value).toMatchObject({ html: 'fresh' });
  });

  it('evicts the least recently used entries beyond its byte budget', async () => {
    setChangedAt(0);
    const cache = new Handler();
    const big = 'x'.repeat(8 * 1024 * 1024); // 8 MiB; the budget is 128 MiB
    for (let i = 0; i < 20; i++) await cache.set(`/p${i}`, page(big));
    expect(await cache.get('/p0')).toBeNull();
    expect(await cache.get('/p19')).not.toBeNull();
  });

  it("counts hits, misses and stale entries into the process's registry (/metrics)", async () => {
    const lookups = () =>
      Promise.all(
        ['hit', 'miss', 'stale'].map((result) =>
          metricValue('dispatch_page_cache_requests_total', { result }),
        ),
      );
    const before = await lookups();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(50_000);
    setChangedAt(1_000);
    const cache = new Handler();
    await cache.get('/counted');
    await cache.set('/counted', page('counted'));
    await cache.get('/counted');
    await cache.get('/counted');
    setChangedAt(50_500);
    await cache.get('/counted');
    expect((await lookups()).map((n, i) => n - before[i]!)).toEqual([2, 1, 1]);
  });
});
