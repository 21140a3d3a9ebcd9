// Imported by actions and forms alike, so nothing server-only here.
export type ErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'invalid'
  | 'not_found'
  | 'rate_limited'
  | 'conflict'
  /** The database can't serve now (down, unreachable, or out of space); the same request later will work. */
  | 'unavailable';

/** An expected failure: becomes an ActionResult, never an error page. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For `rate_limited`: when to try again. */
    readonly retryAfterSeconds?: number,
    /** For `conflict`: the version someone else saved meanwhile, to merge with (the desk). */
    readonly current?: Record<string, string>,
  ) {
    super(message);
  }
}

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      fieldErrors?: Record<string, string[]>;
      values?: Record<string, string>;
      retryAfterSeconds?: number;
      current?: Record<string, string>;
    };

export const fail = (
  code: ErrorCode,
  message: string,
  extra: Partial<Extract<ActionResult<never>, { ok: false }>> = {},
) => ({ ok: false, code, message, ...extra }) as const;

/** What a writer answers while the database can't store anything (lib/db/storage.ts). */
export const UNAVAILABLE_MESSAGE =
  'We cannot save anything right now: the server is out of space. Nothing was changed; please try again in a few minutes.';

/** What a request that needs the database answers while it is down or unreachable (lib/db/storage.ts). */
export const DATABASE_DOWN_MESSAGE =
  'This is not possible right now: our database is not answering. Nothing was changed; please try again in a minute.';

/**
 * What the sign-in forms say when /api/auth answered 503 (`error=unavailable`: the database down or
 * out of space); next-auth's browser client passes on only that code, not the answer's message.
 */
export const SIGN_IN_UNAVAILABLE_MESSAGE =
  'Signing in is not possible at the moment, because of a problem on our side. Please try again in a few minutes.';
