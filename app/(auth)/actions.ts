'use server';

import { headers } from 'next/headers';
import { after } from 'next/server';
import { openAction } from '@/lib/auth/action';
import { magicLinkLimits, signUpLimit } from '@/lib/auth/limits';
import { clientIp } from '@/lib/net/client-address';
import { issueMagicLink } from '@/lib/auth/sign-in-links';
import { safeCallbackUrl } from '@/lib/auth/callback-url';
import { emailSchema } from '@/lib/users/email';
import { registerAccount } from '@/lib/users/account';
import { signUpSchema } from '@/lib/users/service';
import { config } from '@/lib/env';
import { AppError, fail, type ActionResult } from '@/lib/errors';
import { log } from '@/lib/log';
import { mailEnabled, sendMail } from '@/lib/mail/send';
import { consume } from '@/lib/rate-limit/limiter';
import { fieldErrors } from '@/lib/validation';

/**
 * Creates an account; the client then signs in with the same credentials, through sign-in and its
 * limits. An address that already has an account gets exactly the answer a new one gets, and no
 * password is checked here: sign-up is not a second, less limited way to test passwords (issue 11;
 * docs/decisions/007-accounts-and-sessions.md says what sign-up still reveals). The owner is told
 * by email, when mail is set up, that someone tried.
 */
export async function signUp(
  _prev: ActionResult<{ email: string }> | null,
  form: FormData,
): Promise<ActionResult<{ email: string }>> {
  const values = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? '') };
  return openAction(values, () => register(form, values));
}

async function register(
  form: FormData,
  values: { name: string; email: string },
): Promise<ActionResult<{ email: string }>> {
  const ip = clientIp(await headers());
  const wait = await consume(signUpLimit, ip);
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
  try {
    await registerAccount(input.data); // hashes first, so a taken address takes as long
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
    log.warn('auth', `sign-up for an existing address ip=${ip}`);
    if (mailEnabled()) after(() => warnOwner(input.data.email));
  }
  return { ok: true, data: { email: input.data.email } };
}

async function warnOwner(email: string) {
  try {
    await sendMail(
      email,
      `Someone tried to create an account on ${config.SITE_NAME} with your address`,
      `Someone tried to create a new account on ${config.SITE_NAME} with this email address, which already has one.\n\nIf it was you: sign in at ${config.SITE_URL}/signin instead (you can ask for a sign-in link there if you forgot your password).\nIf it was not you: nothing has changed and nobody was signed in; you don't need to do anything.\n`,
    );
  } catch (error) {
    log.error('mail', `sign-up warning not sent: ${error instanceof Error ? error.message : String(error)}`);
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
  return openAction(values, () => sendMagicLink(form, values, email.data));
}

async function sendMagicLink(
  form: FormData,
  values: { email: string },
  email: string,
): Promise<ActionResult<null>> {
  const ip = clientIp(await headers());
  const wait = Math.max(await consume(magicLinkLimits.ip, ip), await consume(magicLinkLimits.email, email));
  if (wait)
    return fail('rate_limited', `Too many links requested. Try again in ${Math.ceil(wait / 60)} min.`, {
      values,
      retryAfterSeconds: wait,
    });
  const callbackUrl = safeCallbackUrl(form.get('callbackUrl'), config.SITE_URL);
  const token = await issueMagicLink(email, callbackUrl);
  const link = `${config.SITE_URL}/signin/verify?token=${encodeURIComponent(token)}`;
  try {
    await sendMail(
      email,
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
