import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Db } from '../db/client';
import { openTestDb, testDialects, type TestDb } from './db';

export type OnDatabase = {
  /** The open database; only call inside a test. */
  db: () => Db;
  /** The whole test database (its URL, for tests that start their own processes). */
  testDb: () => TestDb;
  /** A test that runs when this database is available and is reported as skipped otherwise. */
  test: (name: string, fn: () => Promise<void>, timeout?: number) => void;
};

/**
 * The same suite on every database: SQLite always, PostgreSQL when it answers (required in CI by
 * REQUIRE_POSTGRES=1, see openTestDb). One fresh database per suite, dropped afterwards.
 */
export function describeEachDatabase(title: string, body: (on: OnDatabase) => void): void {
  describe.each(testDialects)(`${title} on %s`, (dialect) => {
    let t: TestDb | null = null;
    beforeAll(async () => {
      t = await openTestDb(dialect);
    });
    afterAll(async () => t?.cleanup());
    const testDb = () => {
      if (!t) throw new Error('no database');
      return t;
    };
    body({
      db: () => testDb().db,
      testDb,
      test: (name, fn, timeout) => it(name, async (ctx) => (t ? fn() : ctx.skip()), timeout),
    });
  });
}
