'use server';

import { headers } from 'next/headers';
import { clientIp, magicLinkLimits, signUpLimit } from '@/lib/auth/limits';
import { createMagicLink } from '@/lib/auth/magic-link';
import { safeCallbackUrl } from '@/lib/auth/callback-url';
import { emailSchema } from '@/lib/auth/email';
import { authenticate, createUser, signUpSchema } from '@/lib/users/service';
import { getDb } from '@/lib/db/client';
import { config } from '@/lib/env';
import { AppError, fail, type ActionResult } from '@/lib/errors';
import { log } from '@/lib/log';
import { mailEnabled, sendMail } from '@/lib/mail/send';
import { consume } from '@/lib/rate-limit/limiter';
import { fieldErrors } from '@/lib/validation';

/**
 * Creates an account. The client then signs in with the same credentials. An address that already
 * has an account signs in only with its own password; otherwise the answer is a generic refusal
 * (docs/decisions/007-accounts-and-sessions.md explains what this does and doesn't reveal).
 */
export async function signUp(
  _prev: ActionResult<{ email: string }> | null,
  form: FormData,
): Promise<ActionResult<{ email: string }>> {
  const values = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? '') };
  const wait = await consume(signUpLimit, clientIp(await headers()));
  if (wait)
    return fail('rate_limited', `Too many attempts. Try again in ${Math.ceil(wait / 60)} min.`, {
      values,
      retryAfterSeconds: wait,
    });
  const input = signUpSchema.safeParse({ ...values, password: String(form.get('password') ?? '') });
  if (!input.success) {
    return fail('invalid', 'Please correct the highlighted fields.', {
      fieldErrors: fieldErrors(input.error),
      values,
    });
  }
  const db = await getDb();
  try {
    await createUser(db, input.data);
    return { ok: true, data: { email: input.data.email } };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
    // The owner typing their own password just signs in; anyone else learns nothing more than a sign-in would tell them.
    if (await authenticate(db, input.data.email, input.data.password))
      return { ok: true, data: { email: input.data.email } };
    log.warn('auth', 'sign-up refused for an existing address');
    return fail(
      'conflict',
      'We could not create an account with these details. If you already have one, sign in instead.',
      { values },
    );
  }
}

/** Emails a one-time sign-in link. The answer is the same whether or not the address has an account. */
export async function requestMagicLink(
  _prev: ActionResult<null> | null,
  form: FormData,
): Promise<ActionResult<null>> {
  if (!mailEnabled()) return fail('not_found', 'Email sign-in is not available on this site.');
  const values = { email: String(form.get('email') ?? '') };
  const email = emailSchema.safeParse(values.email);
  if (!email.success)
    return fail('invalid', 'Enter a valid email address.', {
      values,
      fieldErrors: { email: ['Enter a valid email address'] },
    });
  const ip = clientIp(await headers());
  const wait = Math.max(
    await consume(magicLinkLimits.ip, ip),
    await consume(magicLinkLimits.email, email.data),
  );
  if (wait)
    return fail('rate_limited', `Too many links requested. Try again in ${Math.ceil(wait / 60)} min.`, {
      values,
      retryAfterSeconds: wait,
    });
  const callbackUrl = safeCallbackUrl(form.get('callbackUrl'), config.SITE_URL);
  const token = await createMagicLink(await getDb(), email.data, callbackUrl);
  const link = `${config.SITE_URL}/signin/verify?token=${encodeURIComponent(token)}`;
  try {
    await sendMail(
      email.data,
      `Sign in to ${config.SITE_NAME}`,
      `Open this link to sign in to ${config.SITE_NAME}:\n\n${link}\n\nIt works once and expires in 10 minutes. If you did not ask for it, ignore this email.\n`,
    );
  } catch (error) {
    log.error('mail', `magic link not sent: ${error instanceof Error ? error.message : String(error)}`);
    return fail('conflict', 'We could not send the email just now. Please try again in a minute.', {
      values,
    });
  }
  return { ok: true, data: null };
}
