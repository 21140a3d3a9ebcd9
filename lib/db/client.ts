import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import { config, type DatabaseTarget } from '../env';
import { log } from '../log';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';

// SQLite upgrades a deferred transaction to a writer lazily and then ignores busy_timeout, so
// SQLITE_BUSY could reach readers; every transaction takes the write lock up front (SECURITY P25).
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.settings);
  }
}

function openSqlite(file: string) {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // FULL: an acknowledged write survives power loss, not only a crash (SECURITY P24, README).
  database.pragma('synchronous = FULL');
  return new ImmediateSqliteDialect({ database });
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
  // Without a listener, an idle client's error (PostgreSQL restarted) crashes the process.
  pool.on('error', (error) => log.error('db', `idle PostgreSQL connection failed: ${error.message}`));
  return new PostgresDialect({ pool });
}

export type Db = Kysely<Database>;
export type DbHandle = { db: Db; dialect: DatabaseTarget['dialect']; ready: Promise<Db> };

/** Opens a database and migrates it. Tests and scripts use this; the app uses getDb(). */
export function openDatabase(target: DatabaseTarget, poolMax = config.DATABASE_POOL_MAX): DbHandle {
  const dialect = target.dialect === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url, poolMax);
  const db = new Kysely<Database>({ dialect });
  const ready = migrateToLatest(db as Kysely<unknown>).then(() => db);
  ready.catch(() => undefined); // reported to whoever awaits it
  return { db, dialect: target.dialect, ready };
}

const KEY = Symbol.for('dispatch.db');

/**
 * The process's database, migrated. On globalThis because Next bundles routes separately;
 * a failed start (PostgreSQL down) is retried by the next caller.
 */
export function getDb(): Promise<Db> {
  const g = globalThis as typeof globalThis & { [KEY]?: DbHandle };
  if (!g[KEY]) {
    const handle = openDatabase(config.database);
    g[KEY] = handle;
    handle.ready.catch((error) => {
      log.error(
        'db',
        `cannot open ${config.database.dialect} database: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (g[KEY] === handle) delete g[KEY];
      void handle.db.destroy().catch(() => undefined);
    });
  }
  return g[KEY].ready;
}

/** True when the database answers within `timeoutMs`. */
export async function pingDb(timeoutMs = 2_000, database: Promise<Db> = getDb()): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = database
    .then((db) => sql`select 1`.execute(db))
    .then(() => true)
    .catch(() => false);
  return Promise.race([ping, timeout]);
}

/** A unique-constraint violation, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
