import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseTarget } from '../env';
import { openDatabase } from './client';

/**
 * `npm run backup` and `npm run restore` (scripts/backup.ts, scripts/restore.ts; README "Backups").
 * SQLite is copied with its online backup API while the server keeps writing; PostgreSQL goes
 * through pg_dump's custom format and pg_restore. Every failure is an Error with a one-line message.
 */

/** Where `npm run backup` puts files when given no path. */
const BACKUP_DIR = path.resolve('backups');

/** The SQLite pages one backup step may copy: all of them (see backupSqlite). */
const ALL_PAGES = 0x7fffffff;

/** `20250131T020000Z`: sorts by time, no characters a file system or a shell minds. */
const stamp = (now: Date) =>
  now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** `./backups/dispatch-<UTC time>.db` (SQLite) or `.dump` (PostgreSQL), inside `dir` when given. */
export function defaultBackupFile(target: DatabaseTarget, now = new Date(), dir = BACKUP_DIR): string {
  return path.join(dir, `dispatch-${stamp(now)}.${target.dialect === 'sqlite' ? 'db' : 'dump'}`);
}

/** The database as a person recognises it: the SQLite file, or the PostgreSQL URL without its password. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return target.file;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return url.toString();
}

/** The first of `name(1)`, `name(2)`, … that no file has (two restores within a second). */
function unused(name: (n: number) => string): string {
  let n = 1;
  while (existsSync(name(n))) n++;
  return name(n);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** fsync a file or a directory: a backup reported written is on disk, and so is its name. */
function sync(file: string) {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Gives the finished file its name: readable by its owner only (it holds emails and password hashes). */
function publish(partial: string, file: string) {
  chmodSync(partial, 0o600);
  sync(partial);
  renameSync(partial, file);
  sync(path.dirname(file));
}

/**
 * Opens a SQLite file on its own and checks that it is whole (and, to be restored, Dispatch's).
 * Leaves it in rollback-journal mode: one self-contained file, nothing beside it (the server turns
 * WAL back on).
 */
function checkSqliteFile(file: string, what: string, dispatch: boolean) {
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(file, { fileMustExist: true });
    db.pragma('journal_mode = DELETE');
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') {
      const problems = String(check)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('***'));
      throw new Error(`fails SQLite's integrity check (${problems.slice(0, 3).join('; ')})`);
    }
    const dispatchs = "select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'";
    if (dispatch && !db.prepare(dispatchs).get())
      throw new Error('is not a Dispatch database (no kysely_migration table)');
  } catch (error) {
    throw new Error(`${what} ${message(error)}`);
  } finally {
    db?.close();
  }
}

async function backupSqlite(file: string, dest: string) {
  if (file === ':memory:') throw new Error('DATABASE_URL is file::memory:, there is nothing to back up');
  if (!existsSync(file)) throw new Error(`no SQLite database at ${file}`);
  const partial = `${dest}.partial`;
  rmSync(partial, { force: true });
  const source = new SQLite(file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // Everything in one step, under one read transaction: a consistent snapshot of the database as
    // of that step, while the server goes on writing (readers don't block writers in WAL mode).
    // Several smaller steps would start over whenever another process commits between two of them,
    // which on a busy site could be forever.
    await source.backup(partial, { progress: () => ALL_PAGES }).catch((error: unknown) => {
      throw new Error(`copying ${file} failed: ${message(error)}`);
    });
    checkSqliteFile(partial, `the backup ${partial}`, false);
    publish(partial, dest);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

/** A libpq URL without its password, which goes in PGPASSWORD: command lines are visible to every user (ps). */
function libpq(url: string) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  // The programs inherit the environment (PATH, locale, any PG* settings), plus the password.
  const env = password ? { ...process.env, PGPASSWORD: password } : process.env;
  return { dbname: parsed.toString(), env };
}

/** Runs one of PostgreSQL's client programs; resolves with its output, rejects with its error on one line. */
function run(bin: 'pg_dump' | 'pg_restore', args: string[], env = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${bin} not found on PATH: install PostgreSQL's client programs, at least the server's version (Debian: apt-get install postgresql-client)`,
            )
          : error,
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(stdout);
      const said = stderr
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .join(' ');
      reject(new Error(`${bin} failed (${signal ?? `exit ${code}`}): ${said.slice(0, 500) || 'no message'}`));
    });
  });
}

/** Reads a custom-format archive's table of contents: fails unless it can be listed (and, to be restored, is Dispatch's). */
async function checkDump(file: string, what: string, dispatch: boolean) {
  const contents = await run('pg_restore', ['--list', file]);
  if (dispatch && !/ TABLE \S+ kysely_migration /.test(contents))
    throw new Error(`${what} is not a Dispatch database dump (no kysely_migration table)`);
}

async function backupPostgres(url: string, dest: string) {
  const partial = `${dest}.partial`;
  const { dbname, env } = libpq(url);
  try {
    // pg_dump reads in one repeatable-read transaction: a consistent snapshot as of its start.
    await run(
      'pg_dump',
      ['--format=custom', '--no-password', `--file=${partial}`, `--dbname=${dbname}`],
      env,
    );
    await checkDump(partial, `the backup ${partial}`, false);
    publish(partial, dest);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Backs the database up into `file` (a directory: a default name inside it). Never overwrites; the
 * file appears only once complete and checked.
 */
export async function backupDatabase(target: DatabaseTarget, file: string): Promise<string> {
  const dest =
    existsSync(file) && statSync(file).isDirectory() ? defaultBackupFile(target, new Date(), file) : file;
  if (existsSync(dest)) throw new Error(`${dest} already exists; give another path`);
  mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
  if (target.dialect === 'sqlite') await backupSqlite(target.file, dest);
  else await backupPostgres(target.url, dest);
  return dest;
}

/** What a backup file is, by its first bytes. */
function kindOf(file: string): DatabaseTarget['dialect'] | null {
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  return null;
}

type Restored = {
  /** Where the database as it was before the restore was kept (null: there was none). */
  previous: string | null;
  /** False when it could not be told whether the server had the SQLite file open (not in WAL mode). */
  checked: boolean;
};

/**
 * Opens the restored data as the server would on start: applies pending migrations (their names
 * are logged) and refuses data from a newer version of Dispatch.
 */
async function migrate(target: DatabaseTarget) {
  const handle = openDatabase(target, 1);
  try {
    await handle.ready;
  } finally {
    await handle.db.destroy();
  }
}

/**
 * Throws when another connection has the SQLite file open. In WAL mode every connection holds a
 * shared lock on the file for as long as it is open, and one in exclusive locking mode needs an
 * exclusive lock to read at all (SQLite's pager, pagerOpenWal), so a refusal here means the server
 * (or anything else) is using the file. Returns whether that could be told: a database not in WAL
 * mode is locked only during transactions, so an idle server would go unseen, and a damaged file
 * can't be read. On success the file is checkpointed and closed, its WAL gone, so it moves as one.
 */
function claimSqlite(file: string): boolean {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.prepare('select count(*) from sqlite_master').get();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY')
        throw new Error(`${file} is in use (is the server running?): stop it, then restore`);
      // Damaged (the reason to restore, perhaps): moved aside as it is, unchecked.
      return false;
    }
    const wal = db.pragma('journal_mode', { simple: true }) === 'wal';
    if (wal) db.pragma('wal_checkpoint(TRUNCATE)');
    return wal;
  } finally {
    db.close();
  }
}

async function restoreSqlite(file: string, backup: string, now: Date): Promise<Restored> {
  if (file === ':memory:') throw new Error('DATABASE_URL is file::memory:, there is nothing to restore into');
  if (path.resolve(backup) === file) throw new Error(`${backup} is the database itself`);
  // Fail early when the server is running; checked again right before the swap.
  if (existsSync(file)) claimSqlite(file);

  mkdirSync(path.dirname(file), { recursive: true });
  // Staged beside the database, so putting it in place is one rename on the same file system.
  const staged = `${file}.restoring`;
  const clear = () => ['', '-wal', '-shm', '-journal'].forEach((s) => rmSync(staged + s, { force: true }));
  clear();
  try {
    copyFileSync(backup, staged);
    checkSqliteFile(staged, backup, true);
    await migrate({ dialect: 'sqlite', file: staged }).catch((error: unknown) => {
      throw new Error(`${backup} can't be opened by this version of Dispatch: ${message(error)}`);
    });
    checkSqliteFile(staged, `${backup}, once migrated,`, true);

    let previous: string | null = null;
    let checked = true;
    if (existsSync(file)) {
      const { mode, uid, gid } = statSync(file);
      chmodSync(staged, mode & 0o777);
      // Restoring as root must not leave the server (another user) a file it can't write.
      if (process.getuid?.() === 0) chownSync(staged, uid, gid);
      checked = claimSqlite(file);
      previous = unused((n) => `${file}.before-restore-${stamp(now)}${n > 1 ? `-${n}` : ''}`);
      renameSync(file, previous);
      // Only left when the database wasn't in WAL mode or the checkpoint couldn't finish: keep
      // the pair together, SQLite finds a WAL by its database's name.
      if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${previous}-wal`);
      rmSync(`${file}-shm`, { force: true });
    } else chmodSync(staged, 0o600);
    renameSync(staged, file);
    sync(path.dirname(file));
    return { previous, checked };
  } finally {
    clear();
  }
}

/**
 * Sessions the server has open on this database (it connects as application_name 'dispatch',
 * lib/db/client.ts). A pool that was just closed takes a moment to leave pg_stat_activity.
 */
async function serverConnections(url: string): Promise<number> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'dispatch-restore',
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await client.query<{ n: string }>(
        `select count(*) as n from pg_stat_activity
          where datname = current_database() and application_name = 'dispatch' and pid <> pg_backend_pid()`,
      );
      const n = Number(rows[0]?.n ?? 0);
      if (n === 0 || attempt >= 5) return n;
      await sleep(200);
    }
  } finally {
    await client.end();
  }
}

async function restorePostgres(url: string, backup: string, now: Date): Promise<Restored> {
  await checkDump(backup, backup, true);
  const open = await serverConnections(url);
  if (open > 0)
    throw new Error(
      `the database has ${open} connection(s) from Dispatch (is the server running?): stop it, then restore`,
    );
  const target: DatabaseTarget = { dialect: 'postgres', url };
  // The database as it is now, kept beside the backup being restored (pg_restore --clean drops it).
  const dir = path.dirname(path.resolve(backup));
  const previous = await backupDatabase(
    target,
    unused((n) => path.join(dir, `dispatch-${stamp(now)}-before-restore${n > 1 ? `-${n}` : ''}.dump`)),
  );
  const { dbname, env } = libpq(url);
  // One transaction: the restore is all there or not at all.
  await run(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      '--no-password',
      `--dbname=${dbname}`,
      backup,
    ],
    env,
  );
  try {
    await migrate(target);
  } catch (error) {
    throw new Error(
      `restored, but this version of Dispatch can't open it (${message(error)}); the data as it was is in ${previous}`,
    );
  }
  return { previous, checked: true };
}

/**
 * Replaces the database with a backup, after checking the backup (whole, Dispatch's, migratable).
 * Refuses while the server is connected. SQLite: the old file is kept beside the new one;
 * PostgreSQL: the old data is dumped beside the backup first.
 */
export async function restoreDatabase(target: DatabaseTarget, backup: string): Promise<Restored> {
  const now = new Date();
  if (!existsSync(backup) || !statSync(backup).isFile()) throw new Error(`no backup file at ${backup}`);
  const kind = kindOf(backup);
  if (!kind)
    throw new Error(
      `${backup} is neither a SQLite database nor a pg_dump custom-format archive (a plain SQL dump goes through psql)`,
    );
  if (kind !== target.dialect)
    throw new Error(
      `${backup} is a ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} backup, but DATABASE_URL is ${target.dialect === 'sqlite' ? 'a SQLite file' : 'PostgreSQL'}`,
    );
  if (target.dialect === 'sqlite') return restoreSqlite(target.file, backup, now);
  return restorePostgres(target.url, backup, now);
}
