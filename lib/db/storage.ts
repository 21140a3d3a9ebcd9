import { statfs } from 'node:fs/promises';
import { DATABASE_DOWN_MESSAGE, fail, UNAVAILABLE_MESSAGE, type ActionResult } from '../errors';
import { log } from '../log';
import { LogThrottle } from '../log-throttle';

/**
 * When the database can't serve: an outage, not a bug.
 *
 * Out of disk (issue 11): a write that fails because the disk (or the database's quota) is full is
 * an outage of writes. Writers answer 503 / `unavailable` instead of 500, and /api/health answers
 * 503 while it lasts, so a load balancer and an operator both see it.
 *
 * Down or unreachable (issue 14): every request that needs the database fails the same way, so each
 * is answered 503 / `unavailable` (routes: lib/http/json.ts; actions: `storing` below; pages:
 * lib/http/page.ts) and counted here, logged once per kind of failure per minute (`noteOutage`)
 * rather than as a stack trace per request.
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

// One per process, shared by every bundle that meets the outage (routes, actions, pages).
const LOG_KEY = Symbol.for('dispatch.db.outage-log');
const outageLog = () =>
  ((globalThis as { [LOG_KEY]?: LogThrottle })[LOG_KEY] ??= new LogThrottle((line, first) =>
    first ? log.error('db', line) : log.warn('db', line),
  ));

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

/** Resets what this module remembers (tests): the disk-full state and the outage log's counts. */
export function resetStorageState() {
  state().fullAt = null;
  delete (globalThis as { [LOG_KEY]?: LogThrottle })[LOG_KEY];
}

/**
 * Runs an action (its session lookup and its write); while the database can't serve it the reader
 * gets `unavailable` with what they typed, and a message that says why (down, or out of space),
 * instead of an error page. Other errors pass.
 */
export async function storing<T>(
  write: () => Promise<ActionResult<T>>,
  values?: Record<string, string>,
): Promise<ActionResult<T>> {
  try {
    return await write();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    noteOutage(error);
    return fail('unavailable', outageMessage(error), values ? { values } : {});
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

type ErrorLike = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | null;

/**
 * What kind of "can't serve" `error` is (e.g. `unavailable (ECONNREFUSED)`, `out of space
 * (SQLITE_FULL)`), or null when it is some other error. A wrapper (the migration's error while
 * the database starts) is looked through to its cause.
 */
function outageKind(error: unknown, depth = 0): string | null {
  if (isStorageFull(error)) return `out of space (${codeOf(error) || 'full'})`;
  const e = error as ErrorLike;
  const code = codeOf(error);
  const message = typeof e?.message === 'string' ? e.message : '';
  if (UNREACHABLE_CODES.has(code)) return `unavailable (${code})`;
  // PostgreSQL: connection exceptions (08…), shutting down (57P01–57P03), too many connections (53300).
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === '53300')
    return `unavailable (${code})`;
  if (/timeout exceeded when trying to connect/i.test(message)) return 'unavailable (no connection in time)';
  if (/Connection terminated/i.test(message)) return 'unavailable (connection terminated)';
  if (/database is locked/i.test(message)) return 'unavailable (locked)';
  if (/writes are refused until the server restarts/i.test(message)) return 'unavailable (WAL not synced)';
  if (depth < 5 && e?.cause !== undefined && e.cause !== error) return outageKind(e.cause, depth + 1);
  return null;
}

const codeOf = (error: unknown) => {
  const code = (error as ErrorLike)?.code;
  return typeof code === 'string' ? code : '';
};

/**
 * The database can't serve this now (down, unreachable, its pool exhausted, out of space, or a
 * SQLite file that stopped taking writes): the request should get 503 and be tried again, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return outageKind(error) !== null;
}

/** What the reader is told: out of space, or the database not answering. */
export const outageMessage = (error: unknown) =>
  outageKind(error)?.startsWith('out of space') ? UNAVAILABLE_MESSAGE : DATABASE_DOWN_MESSAGE;

/** How long a client should wait before trying again (`Retry-After`), in seconds. */
export const outageRetryAfter = (error: unknown) => (outageKind(error)?.startsWith('out of space') ? 60 : 5);

/**
 * The root cause's message: a wrapper's cause (the migration's while the database starts), or the
 * first of an AggregateError's (one per address tried), which has none itself.
 */
function detailOf(error: unknown, depth = 0): string {
  const e = error as ErrorLike;
  const message = typeof e?.message === 'string' ? e.message.trim() : '';
  const inner = Array.isArray(e?.errors) ? e.errors[0] : e?.cause;
  const root = depth < 5 && inner !== undefined && inner !== error ? detailOf(inner, depth + 1) : '';
  return root || message || String(error);
}

/**
 * Counts one request answered `unavailable` because of `error` (or, with `source: 'idle'`, one
 * pooled connection lost while idle). The first of each kind is logged at once, then one line a
 * minute with the count while it lasts (lib/log-throttle.ts): never a stack trace per request.
 */
export function noteOutage(error: unknown, source: 'request' | 'idle' = 'request') {
  const kind = `database ${outageKind(error) ?? `error (${codeOf(error) || 'unknown'})`}`;
  const what = source === 'idle' ? 'idle connection' : 'request';
  outageLog().note(`${kind} ${what}`, {
    first: () =>
      source === 'idle'
        ? `${kind}: an idle connection failed: ${detailOf(error)}`
        : `${kind}: ${detailOf(error)}; requests that need it are answered 503 (actions: "unavailable") until it is back; one line a minute while it lasts`,
    summary: (count, seconds) =>
      source === 'idle'
        ? `${kind}: ${count} more idle ${count === 1 ? 'connection' : 'connections'} failed in the last ${seconds} s`
        : `${kind}: ${count} ${count === 1 ? 'request' : 'requests'} answered 503 in the last ${seconds} s`,
  });
}
