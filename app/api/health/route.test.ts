import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSqliteTestDb, type TestDb } from '@/lib/testing/db';
import { insertReader } from '@/lib/testing/factories';
import { allowLoggedErrors } from '@/lib/testing/log-guard';
import { isStorageFull, resetStorageState, storageFull, storing } from '@/lib/db/storage';

let t: TestDb;
vi.mock('@/lib/server', async (original) => ({
  ...(await original<typeof import('@/lib/server')>()),
  getDb: async () => t.db,
  getContentStore: async () => ({}),
}));

/** Makes the test database full: SQLite then fails every growing write with SQLITE_FULL. */
async function fillUp() {
  const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(t.db);
  await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(t.db);
}

describe('a full disk', () => {
  beforeAll(async () => {
    t = await createSqliteTestDb();
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetStorageState());

  it('turns writes into `unavailable` and /api/health into 503, until there is room again', async () => {
    const logged = allowLoggedErrors().mockImplementation(() => undefined);
    const { GET } = await import('./route');
    expect((await GET()).status).toBe(200);
    await fillUp();
    const write = () =>
      storing(async () => {
        for (let i = 0; i < 200; i++) await insertReader(t.db, { name: `Reader ${'x'.repeat(50)} ${i}` });
        return { ok: true as const, data: null };
      });
    const error = await insertReaderMany().catch((e: unknown) => e);
    expect(isStorageFull(error)).toBe(true); // SQLITE_FULL, as a real full disk gives
    expect(await write()).toMatchObject({ ok: false, code: 'unavailable' });
    expect(logged).toHaveBeenCalledWith('db', expect.stringMatching(/^out of space: writes refused/));
    const health = await GET();
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', storage: 'full', database: 'ok' });

    // Room again (and past the hold time): health recovers by itself and writes go through.
    await sql.raw('pragma max_page_count = 1073741823').execute(t.db);
    expect(await storageFull(null, Date.now() + 31_000)).toBe(false);
    expect((await GET()).status).toBe(200);
    expect(await write()).toMatchObject({ ok: true });
  });

  it('tells storage errors from other failures', () => {
    expect(isStorageFull({ code: 'SQLITE_FULL' })).toBe(true);
    expect(isStorageFull({ code: '53100' })).toBe(true); // PostgreSQL disk_full
    expect(isStorageFull({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(false);
    expect(isStorageFull(new Error('boom'))).toBe(false);
  });
});

async function insertReaderMany() {
  for (let i = 0; i < 200; i++) await insertReader(t.db, { name: `Filler ${'y'.repeat(50)} ${i}` });
}
