import type { ErrorCode } from '../errors';
import { isDatabaseUnavailable, noteOutage, outageMessage, outageRetryAfter } from '../db/storage';

/**
 * Every JSON error of the API in one shape, `{ code, message }`, with the codes server actions
 * use (lib/errors.ts), never cached.
 */
export function jsonError(
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
) {
  return Response.json({ code, message }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/**
 * The answer to a request the database can't serve now (down, pool exhausted, out of space): 503
 * with `Retry-After`, in the one error shape, the message saying which; the outage is counted and
 * logged once a minute (lib/db/storage.ts), never a stack trace per request. `extra` adds fields
 * a client needs beside `{ code, message }` (next-auth's, lib/auth/route-guard.ts).
 */
export function databaseUnavailable(error: unknown, extra: Record<string, string> = {}) {
  noteOutage(error);
  return Response.json(
    { code: 'unavailable' satisfies ErrorCode, message: outageMessage(error), ...extra },
    {
      status: 503,
      headers: { 'cache-control': 'no-store', 'retry-after': String(outageRetryAfter(error)) },
    },
  );
}

/**
 * A route handler that answers 503 with `Retry-After` while the database can't serve (down, pool
 * exhausted, out of space), as `lib/db/client.ts` promises, instead of a 500 and a stack trace.
 */
export function withDatabase<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return databaseUnavailable(error);
    }
  };
}
