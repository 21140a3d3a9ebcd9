import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_DOWN_MESSAGE, UNAVAILABLE_MESSAGE } from '../errors';
import { log } from '../log';
import { createPostgresTestDb, postgresUnavailable } from '../testing/db';
import { allowLoggedErrors } from '../testing/log-guard';
import { openDatabase } from './client';
import {
  isDatabaseUnavailable,
  noteOutage,
  outageMessage,
  outageRetryAfter,
  resetStorageState,
  storing,
} from './storage';

// A PostgreSQL that is down: nothing listens on this port, so connecting fails as it would.
const DOWN_URL = 'postgres://postgres@127.0.0.1:1/x';
const down = openDatabase({ dialect: 'postgres', url: DOWN_URL }, 2);
afterAll(() => down.db.destroy().catch(() => undefined));

/** What a query on the stopped server throws (the pool's own error, not a made-up one). */
const refused = () =>
  sql`select 1`.execute(down.db).then(
    () => {
      throw new Error('expected the query to fail');
    },
    (error: unknown) => error,
  );

describe('a database that cannot serve', () => {
  let errors: ReturnType<typeof allowLoggedErrors>;
  let warns: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    resetStorageState();
    errors = allowLoggedErrors().mockImplementation(() => undefined);
    warns = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warns.mockRestore();
    resetStorageState();
  });

  it('is told apart from other errors, down from out of space, and a wrapper from its cause', async () => {
    const error = await refused();
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(outageMessage(error)).toBe(DATABASE_DOWN_MESSAGE);
    expect(outageRetryAfter(error)).toBe(5);
    // How getDb() fails when the server was already down at start: the migration, with the cause kept.
    const atStart = await down.ready.catch((e: unknown) => e);
    expect(atStart).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(atStart)).toBe(true);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(isDatabaseUnavailable(full)).toBe(true);
    expect(outageMessage(full)).toBe(UNAVAILABLE_MESSAGE);
    expect(outageRetryAfter(full)).toBe(60);
    expect(isDatabaseUnavailable(new TypeError('a bug'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
  });

  it('is logged once, not per request: one line naming the kind and the cause', async () => {
    for (let i = 0; i < 20; i++) noteOutage(await refused());
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalledWith(
      'db',
      'database unavailable (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1; requests that need it are answered 503 (actions: "unavailable") until it is back; one line a minute while it lasts',
    );
    expect(warns).not.toHaveBeenCalled(); // the count comes as one summary at the end of the minute
    // Another kind of failure gets its own first line.
    noteOutage(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenLastCalledWith(
      'db',
      expect.stringMatching(/^database out of space \(SQLITE_FULL\): database or disk is full; /),
    );
  });

  it('in an action, answers `unavailable` with what the reader typed, and the fitting message', async () => {
    const values = { body: 'What I typed' };
    const result = await storing(async () => {
      await sql`select 1`.execute(down.db);
      return { ok: true as const, data: null };
    }, values);
    expect(result).toEqual({ ok: false, code: 'unavailable', message: DATABASE_DOWN_MESSAGE, values });
    await expect(
      storing(async () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toThrow('a bug');
  });

  it('logs the pool’s idle connections failing together (PostgreSQL stopped) as one line', async (ctx) => {
    if (await postgresUnavailable()) return ctx.skip(); // required in CI (REQUIRE_POSTGRES=1)
    const t = await createPostgresTestDb();
    try {
      // Three connections, each back in the pool and idle.
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(t.db)));
      const admin = new pg.Client({ connectionString: t.url });
      await admin.connect();
      // What a server shutdown does to each session: terminated, 57P01.
      const { rowCount } = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      await admin.end();
      expect(rowCount).toBeGreaterThanOrEqual(3);
      await vi.waitFor(() =>
        expect(errors).toHaveBeenCalledWith(
          'db',
          expect.stringMatching(/^database unavailable \(57P01\): an idle connection failed: terminating/),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 100)); // the other two arrive too
      expect(errors).toHaveBeenCalledTimes(1);
    } finally {
      await t.cleanup();
    }
  });
});
