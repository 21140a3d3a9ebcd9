import type { ErrorCode } from '../errors';
import { log } from '../log';
import { isDatabaseUnavailable } from '../db/storage';

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
 * A route handler that answers 503 with `Retry-After` while the database can't serve (down, pool
 * exhausted, out of space), as `lib/db/client.ts` promises, instead of a 500 and a stack trace.
 */
export function withDatabase<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      log.warn('db', `request answered 503: ${error instanceof Error ? error.message : String(error)}`);
      return jsonError(
        503,
        'unavailable',
        'The service is briefly unavailable. Please try again in a moment.',
        {
          'retry-after': '5',
        },
      );
    }
  };
}
