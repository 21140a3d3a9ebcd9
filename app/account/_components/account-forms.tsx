'use client';
import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { deleteAccount, signOutEverywhere, updateName, updatePassword, updateReplyEmails } from '../actions';

export function AccountForms({ name, replyEmails }: { name: string; replyEmails: boolean | null }) {
  const [nameState, nameAction, namePending] = useActionState(updateName, null);
  const [pwState, pwAction, pwPending] = useActionState(updatePassword, null);
  const [delState, delAction, delPending] = useActionState(deleteAccount, null);
  const [mailState, mailAction, mailPending] = useActionState(updateReplyEmails, null);
  const [outState, outAction, outPending] = useActionState(signOutEverywhere, null);
  const nameFailed = nameState?.ok === false ? nameState : null;
  const pwFailed = pwState?.ok === false ? pwState : null;
  const delFailed = delState?.ok === false ? delState : null;

  return (
    <>
      <section aria-labelledby="name-heading">
        <h2 id="name-heading">Your name</h2>
        <form className="stack-form" action={nameAction} aria-describedby="name-status">
          <Field
            label="Display name"
            name="name"
            required
            maxLength={60}
            defaultValue={nameFailed?.values?.name ?? name}
            errors={nameFailed?.fieldErrors?.name}
            hint="Shown with your replies. Your email is never shown."
          />
          <button className="button" type="submit" disabled={namePending}>
            Save name
          </button>
          <FormStatus
            id="name-status"
            tone={nameState?.ok ? 'ok' : 'error'}
            message={nameState?.ok ? nameState.data.message : nameFailed?.message}
          />
        </form>
      </section>

      <section aria-labelledby="notify-heading">
        <h2 id="notify-heading">Notifications</h2>
        <p>Replies to you always appear under the bell at the top of the page.</p>
        {replyEmails === null ? (
          <p>This site does not send email.</p>
        ) : (
          <form className="stack-form" action={mailAction} aria-describedby="notify-status">
            <label className="check">
              <input type="checkbox" name="replyEmails" defaultChecked={replyEmails} /> Email me when someone
              replies to me
            </label>
            <button className="button" type="submit" disabled={mailPending}>
              Save notifications
            </button>
            <FormStatus
              id="notify-status"
              tone={mailState?.ok ? 'ok' : 'error'}
              message={mailState?.ok ? mailState.data.message : mailState?.message}
            />
          </form>
        )}
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <form className="stack-form" action={pwAction} aria-describedby="password-status">
          <Field
            label="Current password"
            name="current"
            type="password"
            autoComplete="current-password"
            errors={pwFailed?.fieldErrors?.current}
          />
          <Field
            label="New password"
            name="next"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={128}
            errors={pwFailed?.fieldErrors?.next}
            hint="Changing it signs you out everywhere."
          />
          <button className="button" type="submit" disabled={pwPending}>
            Change password
          </button>
          <FormStatus id="password-status" message={pwFailed?.message} />
        </form>
      </section>

      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <p>Signed in on a device you no longer use? End every session, this one included.</p>
        <form action={outAction} aria-describedby="sessions-status">
          <button className="button" type="submit" disabled={outPending}>
            Sign out everywhere
          </button>
          <FormStatus id="sessions-status" message={outState?.ok === false ? outState.message : null} />
        </form>
      </section>

      <section aria-labelledby="data-heading">
        <h2 id="data-heading">Your data</h2>
        <p>
          <a className="button" href="/account/data" download>
            Download my data
          </a>
        </p>
      </section>

      <section aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <p>
          This removes your account and personal data. Replies you wrote will show as from a deleted reader.
        </p>
        <form className="stack-form" action={delAction} aria-describedby="delete-status">
          <Field
            label="Type DELETE to confirm"
            name="confirm"
            autoComplete="off"
            errors={delFailed?.fieldErrors?.confirm}
          />
          <button className="button danger" type="submit" disabled={delPending}>
            Delete my account
          </button>
          <FormStatus id="delete-status" message={delFailed?.message} />
        </form>
      </section>
    </>
  );
}
