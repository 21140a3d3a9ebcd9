import { statfs } from 'node:fs/promises';
import { fail, UNAVAILABLE_MESSAGE, type ActionResult } from '../errors';
import { log } from '../log';

/**
 * Out of disk (issue 11): a write that fails because the disk (or the database's quota) is full is
 * an outage of writes, not a bug. Writers answer 503 / `unavailable` instead of 500, and
 * /api/health answers 503 while it lasts, so a load balancer and an operator both see it.
 */

/** SQLITE_FULL ("database or disk is full"), an ENOSPC, or PostgreSQL's disk_full (53100). */
export function isStorageFull(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return (
    code === 'SQLITE_FULL' ||
    code === 'ENOSPC' ||
    code === '53100' ||
    (code.startsWith('SQLITE_IOERR') && /ENOSPC|disk is full/i.test(String(e?.message)))
  );
}

/** Below this much free space on the database's disk, writes are about to fail: report it. */
const MIN_FREE_BYTES = 16 * 1024 * 1024;
/** A disk-full error is reported at least this long, then for as long as the disk stays low. */
const HOLD_MS = 30_000;

type State = { fullAt: number | null };
// Shared by every bundle of the process (the driver that sees the error and the health route).
const KEY = Symbol.for('dispatch.db.storage');
const state = (): State => ((globalThis as { [KEY]?: State })[KEY] ??= { fullAt: null });

/** Called with every failed database call (Kysely's error log). */
export function noteDatabaseError(error: unknown, now = Date.now()) {
  if (!isStorageFull(error)) return;
  const s = state();
  if (s.fullAt === null)
    log.error('db', `out of space: writes refused until there is room (${String((error as Error).message)})`);
  s.fullAt = now;
}

/** Free bytes on the file system holding `path`, or null when that can't be told (PostgreSQL's is remote). */
async function freeBytes(path: string | null): Promise<number | null> {
  if (!path) return null;
  try {
    const s = await statfs(path);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** True while writes fail for lack of space: a recent disk-full error, or a disk nearly full now. */
export async function storageFull(dataDir: string | null, now = Date.now()): Promise<boolean> {
  const free = await freeBytes(dataDir);
  const low = free !== null && free < MIN_FREE_BYTES;
  const s = state();
  if (s.fullAt !== null && now - s.fullAt > HOLD_MS && !low) {
    log.info('db', 'space again: writes resume');
    s.fullAt = null;
  }
  return low || s.fullAt !== null;
}

/** Resets what this module remembers (tests). */
export function resetStorageState() {
  state().fullAt = null;
}

/**
 * Runs an action's write; when the database is out of space the reader gets `unavailable` (the
 * action's 503) with what they typed, instead of an error page.
 */
export async function storing<T>(
  write: () => Promise<ActionResult<T>>,
  values?: Record<string, string>,
): Promise<ActionResult<T>> {
  try {
    return await write();
  } catch (error) {
    if (isStorageFull(error)) return fail('unavailable', UNAVAILABLE_MESSAGE, values ? { values } : {});
    throw error;
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * The database can't serve this now (down, unreachable, its pool exhausted, out of space, or a
 * SQLite file that stopped taking writes): the request should get 503 and be tried again, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (isStorageFull(error)) return true;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (UNREACHABLE_CODES.has(code)) return true;
  // PostgreSQL: connection exceptions (08…), shutting down (57P01–57P03), too many connections (53300).
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
  if (
    /timeout exceeded when trying to connect|Connection terminated|database is locked|writes are refused until the server restarts/i.test(
      message,
    )
  )
    return true;
  return e?.cause !== undefined && e.cause !== error && isDatabaseUnavailable(e.cause);
}
