import { openSync, closeSync, fdatasync, fsyncSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { log } from '../log';

/** Flushes the write-ahead log to disk; the default is fdatasync(2) on a libuv pool thread. */
export type WalSyncFn = (fd: number) => Promise<void>;

const datasync: WalSyncFn = (fd) =>
  new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * Group commit for the write-ahead log (docs/decisions/011-sqlite-group-commit.md).
 *
 * With `synchronous = FULL`, SQLite calls fsync inside COMMIT, on the one thread that also serves
 * every request: 0.3 ms idle and 1–1.6 ms when the CPUs are busy, a quarter of a posted reply.
 * The connection runs `synchronous = NORMAL` instead (COMMIT writes the WAL frames to the OS, no
 * fsync) and each commit then waits here for an fdatasync of the WAL file that *started after it*
 * before it is acknowledged. The syncs run on libuv's pool, so the event loop keeps working, and
 * one sync covers every commit made before it began: commits that pile up while a sync is running
 * share the next one. A commit is acknowledged only once on disk, as with FULL.
 */
export class WalSync {
  #fd: number | null = null;
  #running: Promise<void> | null = null;
  #next: Promise<void> | null = null;
  #failed: Error | null = null;

  constructor(
    private readonly walFile: string,
    private readonly sync: WalSyncFn = datasync,
  ) {}

  /** Set once a sync has failed: from then on every write is refused. */
  get failed(): Error | null {
    return this.#failed;
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  flush(): Promise<void> {
    if (!this.#running) return this.#start();
    // The running sync may have begun before our frames were written: wait for the next one.
    return (this.#next ??= this.#running.then(
      () => this.#chain(),
      () => this.#chain(),
    ));
  }

  #chain(): Promise<void> {
    this.#next = null;
    return this.#start();
  }

  #start(): Promise<void> {
    // After a failed fsync the kernel may have dropped the unwritten pages and report success
    // next time, so nothing written since can be trusted to be on disk: refuse every write until
    // a restart recovers from the WAL (what PostgreSQL does with a PANIC).
    if (this.#failed) return Promise.reject(this.#failed);
    const run = this.#open()
      .then((fd) => this.sync(fd))
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.#failed ??= new Error(
          `SQLite: syncing ${this.walFile} failed (${reason}); writes are refused until the server restarts`,
        );
        log.error('db', this.#failed.message);
        throw error;
      });
    const running = run.finally(() => {
      if (this.#running === running) this.#running = null;
    });
    this.#running = running;
    return running;
  }

  async #open(): Promise<number> {
    if (this.#fd !== null) return this.#fd;
    // The WAL exists once the connection has written to it; it is not deleted while this process
    // holds the database open, so the descriptor stays valid. The directory entry is made durable
    // once, as SQLite would when it creates a journal.
    this.#fd = openSync(this.walFile, 'r');
    const dir = openSync(path.dirname(this.walFile), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    return this.#fd;
  }

  /** Closes the WAL's descriptor once no sync is using it. */
  async close(): Promise<void> {
    const settle = (p: Promise<void> | null) => p?.catch(() => undefined);
    while (this.#running || this.#next) await Promise.all([settle(this.#running), settle(this.#next)]);
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Kysely's mark for "the database rolled back instead of committing" (its own class is internal). */
function rolledBack(cause: Error): Error {
  const error = new Error(cause.message, { cause });
  Object.defineProperty(error, Symbol.for('kysely.AbortedTransactionError'), { value: true });
  return error;
}

class Mutex {
  #queue: Array<() => void> = [];
  #locked = false;

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#queue.push(resolve));
  }

  unlock(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#locked = false;
  }
}

// Prepared statements by SQL text: Kysely would prepare every query again (~3 % of a reply's
// CPU). Bounded so generated SQL (IN lists of varying length) cannot grow it without end.
const STATEMENT_CACHE_MAX = 500;

/**
 * One use of the single connection, from acquire to release. A commit lends the lock out while it
 * waits for its sync; if the same scope runs more queries (`db.connection()` around a
 * transaction), the lease takes the lock back first.
 */
class Lease implements DatabaseConnection {
  inTransaction = false;
  #state: 'held' | 'lent' | 'released' = 'held';

  constructor(
    private readonly driver: DurableSqliteDriver,
    private readonly database: BetterSqlite3.Database,
  ) {}

  /** True while the lock is not this lease's (lent to others, or given back). */
  get away() {
    return this.#state !== 'held';
  }

  /** Lets others use the connection; this lease may take it back (reclaim). */
  lend(): void {
    if (this.#state !== 'held') return;
    this.#state = 'lent';
    this.driver.unlock();
  }

  async reclaim(): Promise<void> {
    if (this.#state === 'released') throw new Error('SQLite connection used after it was released');
    if (this.#state === 'lent') {
      await this.driver.lock();
      this.#state = 'held';
    }
  }

  release(): void {
    if (this.#state === 'held') this.driver.unlock();
    this.#state = 'released';
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    await this.reclaim();
    const stmt = this.driver.statement(query.sql);
    if (!stmt.readonly && !this.inTransaction) this.driver.assertWritable();
    let result: QueryResult<R>;
    if (stmt.reader) result = { rows: stmt.all(query.parameters as unknown[]) as R[] };
    else {
      const { changes, lastInsertRowid } = stmt.run(query.parameters as unknown[]);
      result = { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    }
    // A write outside a transaction (`insert … returning` too) is its own commit: acknowledged
    // once it is on disk.
    if (!stmt.readonly && !this.inTransaction && !this.database.inTransaction) await this.driver.flush();
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    await this.reclaim();
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite can only stream select queries');
    // Not from the cache: a statement being iterated cannot run anything else meanwhile.
    for (const row of this.database.prepare(query.sql).iterate(query.parameters as unknown[]))
      yield { rows: [row as R] };
  }
}

/**
 * Kysely's SQLite driver, with three differences: every transaction is `BEGIN IMMEDIATE` (SQLite
 * upgrades a deferred one to a writer lazily and then ignores busy_timeout, so SQLITE_BUSY could
 * reach readers; SECURITY P25), commits are group-committed through WalSync, and statements are
 * prepared once.
 */
class DurableSqliteDriver implements Driver {
  #mutex = new Mutex();
  #statements = new Map<string, BetterSqlite3.Statement>();

  /** `wal` null: the connection syncs on its own (`synchronous = FULL`) or is in memory. */
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly wal: WalSync | null,
  ) {}

  flush(): Promise<void> {
    return this.wal ? this.wal.flush() : Promise.resolve();
  }

  /** Throws once the WAL could not be synced (WalSync): reads go on, writes are refused. */
  assertWritable(): void {
    if (this.wal?.failed) throw this.wal.failed;
  }

  async init(): Promise<void> {}

  statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      if (this.#statements.size >= STATEMENT_CACHE_MAX) this.#statements.clear();
      stmt = this.database.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  lock(): Promise<void> {
    return this.#mutex.lock();
  }

  unlock(): void {
    this.#mutex.unlock();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return new Lease(this, this.database);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // A write statement outside a transaction: executeQuery refuses it after a failed sync.
    await lease.executeQuery(CompiledQuery.raw('begin immediate'));
    lease.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // Begun before a sync failed: undone rather than committed where it may never reach the disk.
    if (this.wal?.failed) {
      await lease.executeQuery(CompiledQuery.raw('rollback'));
      lease.inTransaction = false;
      throw rolledBack(this.wal.failed);
    }
    await lease.executeQuery(CompiledQuery.raw('commit'));
    lease.inTransaction = false;
    // The next transaction may start while this one's sync runs, and share it. Kysely releases the
    // connection after this returns (nothing to unlock then); a db.connection() scope that goes on
    // using it takes the lock back first.
    lease.lend();
    await this.flush();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // After a failed sync the transaction is committed and the lock lent out: nothing to undo, and
    // the connection may already be in someone else's transaction.
    if (lease.away) return;
    if (this.database.inTransaction) await lease.executeQuery(CompiledQuery.raw('rollback'));
    lease.inTransaction = false;
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as Lease).release();
  }

  async destroy(): Promise<void> {
    this.#statements.clear();
    await this.wal?.close();
    this.database.close();
  }
}

export class DurableSqliteDialect implements Dialect {
  constructor(
    private readonly database: BetterSqlite3.Database,
    readonly wal: WalSync | null,
  ) {}
  createDriver(): Driver {
    return new DurableSqliteDriver(this.database, this.wal);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
