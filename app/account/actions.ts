'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { authorizedAction } from '@/lib/auth/action';
import { passwordChangeLimit } from '@/lib/auth/limits';
import { passwordSchema } from '@/lib/users/password';
import { log } from '@/lib/log';
import { consume, waitFor } from '@/lib/rate-limit/limiter';
import { AppError, fail, type ActionResult } from '@/lib/errors';
import {
  changeAccountPassword,
  endAccountSessions,
  eraseAccount,
  renameAccount,
  setAccountReplyEmails,
} from '@/lib/users/account';
import { displayNameSchema } from '@/lib/users/service';

type Result = ActionResult<{ message: string }>;

const nameSchema = z.object({ name: displayNameSchema });

export async function updateName(_prev: Result | null, form: FormData): Promise<Result> {
  const values = { name: String(form.get('name') ?? '') };
  return authorizedAction(values, { schema: nameSchema, values }, async (viewer, input) => {
    await renameAccount(viewer.id, input.name);
    return { ok: true, data: { message: 'Your name was saved.' } };
  });
}

const passwordChangeSchema = z.object({ current: z.string().max(1024), next: passwordSchema });

export async function updatePassword(_prev: Result | null, form: FormData): Promise<Result> {
  const raw = { current: form.get('current') ?? '', next: form.get('next') ?? '' };
  const options = { schema: passwordChangeSchema, invalid: 'Please correct the highlighted fields.' };
  const result = await authorizedAction(raw, options, async (viewer, input): Promise<Result> => {
    // Wrong current passwords are limited like sign-ins (issue 11): a stolen session can't be
    // used to find the password.
    const wait = await waitFor(passwordChangeLimit, viewer.id);
    if (wait) {
      log.warn('auth', `password change rate limited ${viewer.id}`);
      return fail('rate_limited', `Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} min.`, {
        retryAfterSeconds: wait,
        fieldErrors: { current: ['Too many wrong passwords'] },
      });
    }
    try {
      await changeAccountPassword(viewer.id, input.current, input.next);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'invalid') await consume(passwordChangeLimit, viewer.id);
      return fail(error.code, error.message, { fieldErrors: { current: [error.message] } });
    }
    return { ok: true, data: { message: 'Password changed.' } };
  });
  if (!result.ok) return result;
  // Every session ended, this one included: sign in again with the new password.
  redirect('/signin?callbackUrl=%2Faccount');
}

export async function updateReplyEmails(_prev: Result | null, form: FormData): Promise<Result> {
  const raw = { on: form.get('replyEmails') === 'on' };
  return authorizedAction(raw, { schema: z.object({ on: z.boolean() }) }, async (viewer, { on }) => {
    await setAccountReplyEmails(viewer.id, on);
    return {
      ok: true,
      data: { message: on ? 'We will email you when someone replies to you.' : 'No more reply emails.' },
    };
  });
}

/**
 * Ends every session of the reader, this one included, then goes to the sign-in page (also when
 * already signed out). While the database is down nothing can be ended: the form says so.
 */
export async function signOutEverywhere(): Promise<Result> {
  const result = await authorizedAction(
    undefined,
    { schema: z.unknown() },
    async (viewer): Promise<Result> => {
      await endAccountSessions(viewer.id);
      return { ok: true, data: { message: 'Signed out everywhere.' } };
    },
  );
  if (!result.ok && result.code !== 'unauthorized') return result;
  redirect('/signin');
}

const confirmSchema = z.object({
  confirm: z.string().refine((s) => s.trim().toUpperCase() === 'DELETE', 'Type DELETE to confirm'),
});

export async function deleteAccount(_prev: Result | null, form: FormData): Promise<Result> {
  const raw = { confirm: String(form.get('confirm') ?? '') };
  const options = { schema: confirmSchema, invalid: 'Type DELETE to confirm.' };
  const result = await authorizedAction(raw, options, async (viewer): Promise<Result> => {
    await eraseAccount(viewer.id);
    return { ok: true, data: { message: 'Your account was deleted.' } };
  });
  if (!result.ok) return result;
  redirect('/?account=deleted');
}
