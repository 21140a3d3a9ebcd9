'use client';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { requestMagicLink } from '../../actions';

export function MagicLinkForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(requestMagicLink, null);
  const failed = state?.ok === false ? state : null;
  return (
    <form
      className="stack-form"
      action={action}
      aria-labelledby="magic-heading"
      aria-describedby="magic-status"
    >
      <h2 id="magic-heading">Or get a sign-in link by email</h2>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field
        label="Email address"
        id="magic-email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={failed?.values?.email}
        errors={failed?.fieldErrors?.email}
      />
      <button className="button" type="submit" disabled={pending}>
        Email me a link
      </button>
      <FormStatus
        id="magic-status"
        tone={state?.ok ? 'ok' : 'error'}
        message={
          state?.ok
            ? 'Check your email: if the address can receive mail, a sign-in link is on its way. It works once, for 10 minutes.'
            : failed?.message
        }
      />
    </form>
  );
}
