import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, postgresUnavailable, type TestDb } from '../testing/db';
import { openDatabase, pingDb } from './client';

describe('SQLite settings', () => {
  let t: TestDb | null;
  beforeAll(async () => (t = await openTestDb('sqlite')));
  afterAll(async () => t?.cleanup());

  it('uses WAL, a busy timeout, foreign keys, and syncs the WAL itself (group commit)', async () => {
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(t!.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('foreign_keys')).toBe(1);
    // NORMAL: COMMIT does not fsync; WalSync does before the commit is acknowledged (sqlite-driver.test.ts).
    expect(await pragma('synchronous')).toBe(1);
  });

  it('rolls back a failed transaction whole', async () => {
    const now = Date.now();
    const row = {
      id: `tx-${now}`,
      email: `tx-${now}@example.org`,
      name: 'Tx',
      password_hash: null,
      role: 'reader' as const,
      created_at: now,
      updated_at: now,
    };
    await expect(
      t!.db.transaction().execute(async (tx) => {
        await tx.insertInto('users').values(row).execute();
        await tx.insertInto('users').values(row).execute(); // duplicate id
      }),
    ).rejects.toThrow();
    expect(
      await t!.db.selectFrom('users').select('id').where('id', '=', row.id).executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('PostgreSQL pool', () => {
  it('fails fast when PostgreSQL does not answer, instead of hanging', async () => {
    const { db, ready } = openDatabase(
      { dialect: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' },
      1,
    );
    const started = Date.now();
    await expect(ready).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await pingDb(ready, 500)).toBe(false);
    await db.destroy();
  });

  it('answers an exhausted pool with an error within the connection timeout', async (ctx) => {
    if (await postgresUnavailable()) return ctx.skip();
    const t = await openTestDb('postgres');
    const { db, ready } = openDatabase({ dialect: 'postgres', url: t!.url }, 1);
    try {
      await ready;
      let release!: () => void;
      const held = db.transaction().execute(async (tx) => {
        await sql`select 1`.execute(tx);
        await new Promise<void>((r) => (release = r));
      });
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      await expect(sql`select 1`.execute(db)).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(4_500);
      release();
      await held;
      await expect(sql`select 1`.execute(db)).resolves.toBeDefined(); // recovers by itself
    } finally {
      await db.destroy();
      await t!.cleanup();
    }
  }, 20_000);
});
