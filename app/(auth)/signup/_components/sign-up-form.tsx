'use client';
import { signIn } from 'next-auth/react';
import { useActionState, useEffect, useRef, useState } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { SIGN_IN_UNAVAILABLE_MESSAGE } from '@/lib/errors';
import { signUp } from '../../actions';

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(signUp, null);
  const password = useRef('');
  const [message, setMessage] = useState<string | null>(null);
  const failed = state?.ok === false ? state : null;

  // Sign-up answered: sign in with the same credentials, then go back where the reader came from.
  useEffect(() => {
    if (!state?.ok) return;
    void signIn('password', { email: state.data.email, password: password.current, redirect: false }).then(
      (result) => {
        if (result?.ok && !result.error) window.location.assign(callbackUrl);
        else if (result?.error === 'unavailable') setMessage(SIGN_IN_UNAVAILABLE_MESSAGE);
        // A new account signs in here; an address that already had one needs its own password (the
        // answer to sign-up is the same either way, so this is all the form can say).
        else
          setMessage(
            'We could not sign you in with these details. If you already have an account, sign in with its password.',
          );
      },
    );
  }, [state, callbackUrl]);

  return (
    <form
      className="stack-form"
      action={(form) => {
        password.current = String(form.get('password') ?? '');
        return action(form);
      }}
      aria-describedby="signup-status"
    >
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        maxLength={60}
        defaultValue={failed?.values?.name}
        errors={failed?.fieldErrors?.name}
        hint="Shown with your replies."
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        defaultValue={failed?.values?.email}
        errors={failed?.fieldErrors?.email}
        hint="Never shown to other readers."
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={128}
        errors={failed?.fieldErrors?.password}
        hint="At least 8 characters; common passwords are refused."
      />
      <button className="button primary" type="submit" disabled={pending || state?.ok}>
        Create account
      </button>
      <FormStatus id="signup-status" message={message ?? failed?.message} />
    </form>
  );
}
