'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getViewer } from '@/lib/auth/session';
import { passwordSchema } from '@/lib/auth/password';
import { getDb } from '@/lib/db/client';
import { AppError, fail, type ActionResult } from '@/lib/errors';
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
  const viewer = await getViewer();
  if (!viewer) return notSignedIn();
  const values = { name: String(form.get('name') ?? '') };
  const input = displayNameSchema.safeParse(values.name);
  if (!input.success)
    return fail('invalid', input.error.issues[0]!.message, {
      values,
      fieldErrors: { name: input.error.issues.map((i) => i.message) },
    });
  await changeName(await getDb(), viewer.id, input.data);
  return { ok: true, data: { message: 'Your name was saved.' } };
}

const passwordChangeSchema = z.object({ current: z.string().max(1024), next: passwordSchema });

export async function updatePassword(_prev: Result | null, form: FormData): Promise<Result> {
  const viewer = await getViewer();
  if (!viewer) return notSignedIn();
  const input = passwordChangeSchema.safeParse({
    current: form.get('current') ?? '',
    next: form.get('next') ?? '',
  });
  if (!input.success)
    return fail('invalid', 'Please correct the highlighted fields.', {
      fieldErrors: fieldErrors(input.error),
    });
  try {
    await changePassword(await getDb(), viewer.id, input.data.current, input.data.next);
  } catch (error) {
    if (error instanceof AppError)
      return fail(error.code, error.message, { fieldErrors: { current: [error.message] } });
    throw error;
  }
  // Every session ended, this one included: sign in again with the new password.
  redirect('/signin?callbackUrl=%2Faccount');
}

export async function updateReplyEmails(_prev: Result | null, form: FormData): Promise<Result> {
  const viewer = await getViewer();
  if (!viewer) return notSignedIn();
  const on = form.get('replyEmails') === 'on';
  await setReplyEmails(await getDb(), viewer.id, on);
  return {
    ok: true,
    data: { message: on ? 'We will email you when someone replies to you.' : 'No more reply emails.' },
  };
}

/** Ends every session of the reader, this one included, then goes to the sign-in page. */
export async function signOutEverywhere(): Promise<void> {
  const viewer = await getViewer();
  if (viewer) await endAllSessions(await getDb(), viewer.id);
  redirect('/signin');
}

export async function deleteAccount(_prev: Result | null, form: FormData): Promise<Result> {
  const viewer = await getViewer();
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
  await deleteUser(await getDb(), viewer.id);
  redirect('/?account=deleted');
}
