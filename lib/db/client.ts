import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, sql } from 'kysely';
import pg from 'pg';
import { config, type DatabaseTarget } from '../env';
import { log } from '../log';
import { watchPool } from '../metrics/metrics';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';
import { noteDatabaseError, noteOutage, storageFull } from './storage';
import { DurableSqliteDialect, WalSync, type WalSyncFn } from './sqlite-driver';

/** Test hooks for the SQLite driver (lib/db/sqlite-driver.test.ts). */
export type SqliteOptions = { walSync?: WalSyncFn };

function openSqlite(file: string, options: SqliteOptions = {}) {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  const wal = database.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Deleted rows are overwritten with zeros, not left readable in free pages (a deleted account's
  // email and replies, issue 11); eraseFreedSpace() also clears the WAL's older copies.
  database.pragma('secure_delete = ON');
  // An acknowledged write survives power loss, not only a crash (SECURITY P24, README): with a
  // WAL, commits wait for a group fdatasync off the event loop (WalSync, ADR 011); without one
  // (a file system that refuses WAL) SQLite syncs in every COMMIT.
  const grouped = wal && !database.memory;
  database.pragma(grouped ? 'synchronous = NORMAL' : 'synchronous = FULL');
  return new DurableSqliteDialect(database, grouped ? new WalSync(file + '-wal', options.walSync) : null);
}

const INT8_OID = 20;

function openPostgres(url: string, max: number) {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Fail fast when the pool is exhausted or the server is gone: callers answer 503 (SECURITY P26).
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    idle_in_transaction_session_timeout: 15_000,
    application_name: 'dispatch',
    // Times are epoch ms in bigint columns; they fit a JS number, so read them as one.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // Without a listener, an idle client's error (PostgreSQL restarted) crashes the process. Each
  // pooled connection fails at once when the server stops: one log line for them, not one each.
  pool.on('error', (error) => noteOutage(error, 'idle'));
  watchPool(pool); // connections and waiting queries in /metrics
  return new PostgresDialect({ pool });
}

export type Db = Kysely<Database>;
// For pingDb: a SQLite database whose WAL could not be synced refuses writes (ADR 011).
const walOf = new WeakMap<Db, WalSync>();
export type DbHandle = { db: Db; dialect: DatabaseTarget['dialect']; ready: Promise<Db> };

/** Opens a database and migrates it. Tests and scripts use this; the app's one is lib/server.ts's getDb(). */
export function openDatabase(
  target: DatabaseTarget,
  poolMax = config.DATABASE_POOL_MAX,
  sqlite: SqliteOptions = {},
): DbHandle {
  const dialect =
    target.dialect === 'sqlite' ? openSqlite(target.file, sqlite) : openPostgres(target.url, poolMax);
  const db = new Kysely<Database>({
    dialect,
    // Every failed query passes here: a full disk turns into 503s and a failing health check.
    log: (event) => {
      if (event.level === 'error') noteDatabaseError(event.error);
    },
  });
  if (dialect instanceof DurableSqliteDialect && dialect.wal) walOf.set(db, dialect.wal);
  const ready = migrateToLatest(db as Kysely<unknown>).then(() => db);
  ready.catch(() => undefined); // reported to whoever awaits it
  return { db, dialect: target.dialect, ready };
}

/** The folder of the SQLite file (whose free space decides whether writes fit), or null for PostgreSQL. */
const dataDirOf = (target: DatabaseTarget = config.database) =>
  target.dialect === 'sqlite' && target.file !== ':memory:' ? path.dirname(target.file) : null;

/** True when writes can't be stored for lack of space (lib/db/storage.ts). */
export const outOfSpace = () => storageFull(dataDirOf());

/** True when the database answers within `timeoutMs` (and, on SQLite, still takes writes). */
export async function pingDb(database: Promise<Db>, timeoutMs = 2_000): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = database
    .then(async (db) => {
      await sql`select 1`.execute(db);
      return !walOf.get(db)?.failed;
    })
    .catch(() => false);
  return Promise.race([ping, timeout]);
}

/**
 * After erasing personal data: on SQLite, checkpoint and truncate the WAL, which still holds the
 * pages as they were before the delete (secure_delete zeroes the database file's copy). Best
 * effort: a reader holding an old snapshot keeps the checkpoint from finishing, and the next
 * checkpoint overwrites those frames anyway. PostgreSQL's dead row versions go at its next
 * (auto)vacuum.
 */
export async function eraseFreedSpace(db: Db) {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`pragma wal_checkpoint(TRUNCATE)`
    .execute(db)
    .catch((error: Error) => log.warn('db', `WAL checkpoint after an erase failed: ${error.message}`));
}

/** A unique-constraint violation, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
