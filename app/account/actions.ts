'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { actionViewer } from '@/lib/auth/session';
import { passwordChangeLimit } from '@/lib/auth/limits';
import { passwordSchema } from '@/lib/auth/password';
import { log } from '@/lib/log';
import { consume } from '@/lib/rate-limit/limiter';
import { getDb } from '@/lib/db/client';
import { isStorageFull, storing } from '@/lib/db/storage';
import { AppError, fail, UNAVAILABLE_MESSAGE, type ActionResult } from '@/lib/errors';
import {
  changeName,
  changePassword,
  deleteUser,
  displayNameSchema,
  endAllSessions,
  setReplyEmails,
} from '@/lib/users/service';
import { fieldErrors } from '@/lib/validation';

type Result = ActionResult<{ message: string }>;
const notSignedIn = () => fail('unauthorized', 'Your session has ended. Please sign in again.');

export async function updateName(_prev: Result | null, form: FormData): Promise<Result> {
  const viewer = await actionViewer();
  if (!viewer) return notSignedIn();
  const values = { name: String(form.get('name') ?? '') };
  const input = displayNameSchema.safeParse(values.name);
  if (!input.success)
    return fail('invalid', input.error.issues[0]!.message, {
      values,
      fieldErrors: { name: input.error.issues.map((i) => i.message) },
    });
  return storing(async () => {
    await changeName(await getDb(), viewer.id, input.data);
    return { ok: true, data: { message: 'Your name was saved.' } };
  }, values);
}

const passwordChangeSchema = z.object({ current: z.string().max(1024), next: passwordSchema });

export async function updatePassword(_prev: Result | null, form: FormData): Promise<Result> {
  const viewer = await actionViewer();
  if (!viewer) return notSignedIn();
  const input = passwordChangeSchema.safeParse({
    current: form.get('current') ?? '',
    next: form.get('next') ?? '',
  });
  if (!input.success)
    return fail('invalid', 'Please correct the highlighted fields.', {
      fieldErrors: fieldErrors(input.error),
    });
  // Wrong current passwords are limited like sign-ins (issue 11): a stolen session can't be used
  // to find the password.
  const blocked = await passwordChangeLimit.get(viewer.id);
  if (blocked && blocked.remainingPoints <= 0 && blocked.msBeforeNext > 0) {
    const wait = Math.ceil(blocked.msBeforeNext / 1000);
    log.warn('auth', `password change rate limited ${viewer.id}`);
    return fail('rate_limited', `Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} min.`, {
      retryAfterSeconds: wait,
      fieldErrors: { current: ['Too many wrong passwords'] },
    });
  }
  try {
    await changePassword(await getDb(), viewer.id, input.data.current, input.data.next);
  } catch (error) {
    if (isStorageFull(error)) return fail('unavailable', UNAVAILABLE_MESSAGE);
    if (error instanceof AppError) {
      if (error.code === 'invalid') await consume(passwordChangeLimit, viewer.id);
      return fail(error.code, error.message, { fieldErrors: { current: [error.message] } });
    }
    throw error;
  }
  // Every session ended, this one included: sign in again with the new password.
  redirect('/signin?callbackUrl=%2Faccount');
}

export async function updateReplyEmails(_prev: Result | null, form: FormData): Promise<Result> {
  const viewer = await actionViewer();
  if (!viewer) return notSignedIn();
  const on = form.get('replyEmails') === 'on';
  return storing(async () => {
    await setReplyEmails(await getDb(), viewer.id, on);
    return {
      ok: true,
      data: { message: on ? 'We will email you when someone replies to you.' : 'No more reply emails.' },
    };
  });
}

/** Ends every session of the reader, this one included, then goes to the sign-in page. */
export async function signOutEverywhere(): Promise<void> {
  const viewer = await actionViewer();
  if (viewer) await endAllSessions(await getDb(), viewer.id);
  redirect('/signin');
}

export async function deleteAccount(_prev: Result | null, form: FormData): Promise<Result> {
  const viewer = await actionViewer();
  if (!viewer) return notSignedIn();
  if (
    String(form.get('confirm') ?? '')
      .trim()
      .toUpperCase() !== 'DELETE'
  ) {
    return fail('invalid', 'Type DELETE to confirm.', {
      fieldErrors: { confirm: ['Type DELETE to confirm'] },
    });
  }
  const deleted = await storing(async () => {
    await deleteUser(await getDb(), viewer.id);
    return { ok: true, data: { message: 'Deleted.' } };
  });
  if (!deleted.ok) return deleted;
  redirect('/?account=deleted');
}
