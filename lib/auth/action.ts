import 'server-only';
import { headers } from 'next/headers';
import type { z } from 'zod';
import type { Role } from '../db/schema';
import { storing } from '../db/storage';
import { AppError, fail, type ActionResult } from '../errors';
import { fieldErrors } from '../validation';
import { actionViewer, logRefusal, type Viewer } from './session';

export type ActionOptions<S extends z.ZodType> = {
  /** Parses the action's argument; a failure is `invalid` with field errors. */
  schema: S;
  /** Who may call it beyond being signed in (a lib/auth/permissions.ts predicate); `forbidden` otherwise. */
  allow?: (role: Role) => boolean;
  /** What a caller whose role `allow` refuses is told. */
  forbidden?: string;
  /** What a signed-out caller is told. */
  signedOut?: string;
  /** What an invalid argument is told; by default the first field error. */
  invalid?: string;
  /** What the reader typed, echoed back on every failure so a form loses nothing (STYLE.md §1.5). */
  values?: Record<string, string>;
};

/**
 * The opening every server action shares (STYLE.md §1.3; actions are public endpoints): the
 * session, then the role, then the argument's schema, each refusal a typed result (and a log line
 * for the first two); then `run`, whose expected failures (AppError) also come back as results.
 * While the database can't serve (down, or out of space), from the session lookup on, the answer is
 * `unavailable` with what the reader typed (lib/db/storage.ts). Anything else is unexpected and throws.
 */
export async function authorizedAction<S extends z.ZodType, T>(
  raw: unknown,
  options: ActionOptions<S>,
  run: (viewer: Viewer, input: z.infer<S>) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  return storing(() => authorize(raw, options, run), options.values);
}

/**
 * The opening of an action anyone may call, with no session to check (sign-up, asking for a
 * sign-in link): the same `unavailable` answer, with what the reader typed, while the database
 * can't serve.
 */
export async function openAction<T>(
  values: Record<string, string>,
  run: () => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  return storing(run, values);
}

async function authorize<S extends z.ZodType, T>(
  raw: unknown,
  options: ActionOptions<S>,
  run: (viewer: Viewer, input: z.infer<S>) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const values = options.values;
  const echo = values ? { values } : {};
  const viewer = await actionViewer();
  if (!viewer)
    return fail('unauthorized', options.signedOut ?? 'Your session has ended. Please sign in again.', echo);
  if (options.allow && !options.allow(viewer.role)) {
    logRefusal(await headers(), `forbidden for ${viewer.role} ${viewer.id}`);
    return fail('forbidden', options.forbidden ?? 'You are not allowed to do that.', echo);
  }
  const input = options.schema.safeParse(raw);
  if (!input.success) {
    const errors = fieldErrors(input.error);
    return fail(
      'invalid',
      options.invalid ?? Object.values(errors)[0]?.[0] ?? 'Please check what you entered.',
      {
        fieldErrors: errors,
        ...echo,
      },
    );
  }
  try {
    return await run(viewer, input.data);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'forbidden') logRefusal(await headers(), `forbidden for ${viewer.role} ${viewer.id}`);
    return fail(error.code, error.message, {
      ...echo,
      retryAfterSeconds: error.retryAfterSeconds,
      ...(error.current ? { current: error.current } : {}),
    });
  }
}
