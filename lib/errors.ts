// Imported by actions and forms alike, so nothing server-only here.
export type ErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'invalid'
  | 'not_found'
  | 'rate_limited'
  | 'conflict'
  /** The write can't be stored now (the server's disk is full); the same request later will work. */
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
