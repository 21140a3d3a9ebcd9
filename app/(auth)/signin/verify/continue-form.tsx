'use client';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import { SIGN_IN_UNAVAILABLE_MESSAGE } from '@/lib/errors';

export function ContinueForm({ token, callbackUrl }: { token: string; callbackUrl: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    const result = await signIn('magic-link', { token, redirect: false });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setMessage(
      result?.error === 'unavailable'
        ? SIGN_IN_UNAVAILABLE_MESSAGE // the link is still good: it was not used
        : 'This link has expired or was already used. Ask for a new one on the sign-in page.',
    );
  }
  return (
    <form onSubmit={onSubmit} aria-describedby="verify-status">
      <button className="button primary" type="submit" disabled={pending}>
        Continue
      </button>
      <FormStatus id="verify-status" message={message} />
    </form>
  );
}
