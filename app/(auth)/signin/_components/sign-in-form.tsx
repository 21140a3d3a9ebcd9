'use client';
import { signIn } from 'next-auth/react';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { SIGN_IN_UNAVAILABLE_MESSAGE } from '@/lib/errors';

/** Human words for next-auth's error codes; unknown accounts and wrong passwords read the same. */
function signInMessage(error: string | null | undefined): string | null {
  if (!error) return null;
  if (error === 'unavailable') return SIGN_IN_UNAVAILABLE_MESSAGE;
  const limited = /^rate_limited:(\d+)$/.exec(error);
  if (limited)
    return `Too many attempts. Try again in ${Math.ceil(Number(limited[1]) / 60)} min, or use an email link.`;
  return 'Email or password is incorrect.';
}

const noop = () => () => undefined;

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until the page is interactive the form can't sign in: keep it from being sent by the browser.
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setMessage(null);
    const result = await signIn('password', {
      email: String(form.get('email')),
      password: String(form.get('password')),
      redirect: false,
      callbackUrl,
    });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl); // a full load, so every part of the page sees the session
      return;
    }
    setPending(false);
    setMessage(signInMessage(result?.error) ?? 'Sign-in failed. Please try again.');
  }

  return (
    // method="post": a form submitted before the script runs must never put the password in a URL.
    <form
      className="stack-form"
      method="post"
      action="/api/auth/callback/password"
      onSubmit={onSubmit}
      aria-describedby="signin-status"
      noValidate
    >
      <Field label="Email" name="email" type="email" autoComplete="username" required maxLength={254} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={128}
      />
      <button className="button primary" type="submit" disabled={pending || !hydrated}>
        Sign in
      </button>
      <FormStatus id="signin-status" message={message} />
    </form>
  );
}
