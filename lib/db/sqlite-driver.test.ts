import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, pingDb, type Db } from './client';
import type { WalSyncFn } from './sqlite-driver';
import { allowLoggedErrors } from '../testing/log-guard';

type Gate = { fd: number; done: () => void; fail: (error: Error) => void };

/** A WAL sync that waits for the test to let it finish, so acknowledgement order is observable. */
function controlledSync() {
  const calls: Gate[] = [];
  const state = { hold: false, count: 0 }; // syncs finish at once until a test holds them
  const sync: WalSyncFn = (fd) =>
    ++state.count && state.hold
      ? new Promise<void>((resolve, reject) => calls.push({ fd, done: resolve, fail: reject }))
      : Promise.resolve();
  return { calls, sync, state };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SQLite group commit (WalSync)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function open(sync?: WalSyncFn) {
    const dir = mkdtempSync(path.join(tmpdir(), 'dispatch-wal-'));
    const file = path.join(dir, 'test.db');
    const handle = openDatabase({ dialect: 'sqlite', file }, 1, { walSync: sync });
    const db = await handle.ready;
    cleanups.push(async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })));
    return { db, file };
  }

  const addUser = (db: Db, id: string) => {
    const now = Date.now();
    return db
      .insertInto('users')
      .values({ id, email: `${id}@example.org`, name: id, role: 'reader', created_at: now, updated_at: now })
      .execute();
  };
  const inTransaction = (db: Db, id: string) => db.transaction().execute((tx) => addUser(tx, id));

  it('acknowledges a commit only after a WAL sync that started after it', async () => {
    const { calls, sync, state } = controlledSync();
    const { db } = await open(sync);
    state.hold = true;

    let acked = false;
    const first = inTransaction(db, 'a').then(() => (acked = true));
    await settle();
    expect(calls).toHaveLength(1);
    expect(acked).toBe(false); // committed, not yet on disk: not acknowledged
    // Committed while that sync runs: it must wait for a second sync, not ride on the first.
    let secondAcked = false;
    const second = inTransaction(db, 'b').then(() => (secondAcked = true));
    const third = inTransaction(db, 'c');
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.done();
    await first;
    await settle();
    expect(secondAcked).toBe(false);
    expect(calls).toHaveLength(2); // one sync shared by the two commits that waited
    calls[1]!.done();
    await Promise.all([second, third]);
    expect(await db.selectFrom('users').select('id').orderBy('id').execute()).toEqual([
      { id: 'a' },
      { id: 'b' },
      { id: 'c' },
    ]);
  });

  it('lets the next transaction run while a commit waits for its sync', async () => {
    const { calls, sync, state } = controlledSync();
    const { db } = await open(sync);
    state.hold = true;
    const first = inTransaction(db, 'x1');
    await settle();
    // The first commit's sync is still running; reads and the next transaction are not blocked.
    expect(await db.selectFrom('users').select('id').execute()).toEqual([{ id: 'x1' }]);
    const second = inTransaction(db, 'x2');
    await settle();
    for (const c of calls.splice(0)) c.done();
    await settle();
    for (const c of calls.splice(0)) c.done();
    await Promise.all([first, second]);
  });

  it('a failed sync fails its commit (not acknowledged), then every later write; no one else is rolled back', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    allowLoggedErrors(); // the failed sync is logged, and checked below
    const loggedError = () => stderr.mock.calls.map((c) => String(c[0])).join('');
    const { calls, sync, state } = controlledSync();
    const { db } = await open(sync);
    state.hold = true;
    const failing = inTransaction(db, 'f1');
    await settle();
    // Another transaction takes the connection while the sync is pending…
    let release!: () => void;
    const held = db.transaction().execute(async (tx) => {
      await addUser(tx, 'f2');
      await new Promise<void>((resolve) => (release = resolve));
    });
    await settle();
    calls[0]!.fail(new Error('EIO'));
    await expect(failing).rejects.toThrow('EIO');
    // …and nobody runs a ROLLBACK on it from the failed one; its own commit is refused, as every
    // write is now: after a failed fsync nothing later can be trusted to reach the disk.
    release();
    await expect(held).rejects.toThrow(/writes are refused until the server restarts/);
    await expect(addUser(db, 'f3')).rejects.toThrow(/writes are refused/);
    expect(calls).toHaveLength(1); // no sync was even tried after the failure
    expect(loggedError()).toMatch(/syncing .*-wal failed \(EIO\)/);
    // f1 committed before its sync failed (never acknowledged); f2 and f3 were never committed.
    // Reads still work.
    expect((await db.selectFrom('users').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([
      'f1',
    ]);
    await expect(inTransaction(db, 'f4')).rejects.toThrow(/writes are refused/);
    expect(await pingDb(Promise.resolve(db), 2_000)).toBe(false); // /api/health answers 503
  });

  it('syncs a write made outside a transaction before answering; reads never wait', async () => {
    const { calls, sync, state } = controlledSync();
    const { db } = await open(sync);
    state.hold = true;
    let answered = false;
    const write = addUser(db, 'w').then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    expect(calls).toHaveLength(1);
    calls[0]!.done();
    await write;
    await sql`select count(*) from users`.execute(db);
    await db.selectFrom('users').selectAll().execute();
    expect(calls).toHaveLength(1);
  });

  it('syncs the real WAL file with fdatasync, and the data is in it', async () => {
    const fds: number[] = [];
    const { fdatasync } = await import('node:fs');
    const { db, file } = await open(
      (fd) => (
        fds.push(fd),
        new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())))
      ),
    );
    await inTransaction(db, 'real');
    expect(fds.length).toBeGreaterThan(0);
    // A second connection (another process would do the same) sees the committed row.
    const other = new SQLite(file, { readonly: true });
    try {
      expect(other.prepare('select id from users').all()).toEqual([{ id: 'real' }]);
    } finally {
      other.close();
    }
  });

  it('a db.connection() scope keeps its connection after a transaction inside it', async () => {
    const { calls, sync, state } = controlledSync();
    const { db } = await open(sync);
    state.hold = true;
    const order: string[] = [];
    const scope = db.connection().execute(async (c) => {
      await c.transaction().execute((tx) => addUser(tx, 's1'));
      order.push('scope: committed');
      // Back on the connection: the lock is taken back, so nobody else's query runs in between.
      await sql`select 1`.execute(c);
      await addUser(c, 's2');
      order.push('scope: done');
    });
    await settle();
    const other = inTransaction(db, 'o1').then(() => order.push('other: committed'));
    while (calls.length) {
      for (const c of calls.splice(0)) c.done();
      await settle();
    }
    await Promise.all([scope, other]);
    expect(order.indexOf('scope: done')).toBeGreaterThan(order.indexOf('scope: committed'));
    expect((await db.selectFrom('users').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([
      'o1',
      's1',
      's2',
    ]);
  });

  it('savepoints work with any name, and controlled transactions commit and roll back', async () => {
    const { db } = await open();
    const trx = await db.startTransaction().execute();
    await addUser(trx, 'sp1');
    const sp = await trx.savepoint('a"b').execute();
    await addUser(sp, 'sp2');
    const back = await sp.rollbackToSavepoint('a"b').execute();
    await back.releaseSavepoint('a"b').execute();
    await trx.commit().execute();
    const rolled = await db.startTransaction().execute();
    await addUser(rolled, 'gone');
    await rolled.rollback().execute();
    expect((await db.selectFrom('users').select('id').orderBy('id').execute()).map((r) => r.id)).toContain(
      'sp1',
    );
    expect((await db.selectFrom('users').select('id').execute()).map((r) => r.id)).not.toContain('sp2');
    expect((await db.selectFrom('users').select('id').execute()).map((r) => r.id)).not.toContain('gone');
  });

  it('closing waits for a running sync before closing the WAL file', async () => {
    const { calls, sync, state } = controlledSync();
    const dir = mkdtempSync(path.join(tmpdir(), 'dispatch-wal-'));
    const handle = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'x.db') }, 1, { walSync: sync });
    const db = await handle.ready;
    state.hold = true;
    const write = inTransaction(db, 'c1');
    await settle();
    let closed = false;
    const closing = db.destroy().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    calls[0]!.done();
    await write;
    await closing;
    rmSync(dir, { recursive: true, force: true });
  });

  it('an in-memory database needs no WAL sync', async () => {
    const { sync, state } = controlledSync();
    const handle = openDatabase({ dialect: 'sqlite', file: ':memory:' }, 1, { walSync: sync });
    const db = await handle.ready;
    await inTransaction(db, 'm');
    await addUser(db, 'n');
    expect(state.count).toBe(0);
    expect(await db.selectFrom('users').select('id').orderBy('id').execute()).toHaveLength(2);
    await db.destroy();
  });
});
