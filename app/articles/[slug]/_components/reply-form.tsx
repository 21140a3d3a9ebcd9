'use client';
import { useId, useState } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import type { ActionResult } from '@/lib/errors';

export type FormOutcome = ActionResult<{ message?: string }>;

/**
 * A reply textarea with its status line. Controlled, so nothing the reader typed is lost when the
 * server says no (flood control, validation, an ended session): the text stays and the reason
 * shows in the `role="status"` region.
 */
export function ReplyForm({
  label,
  submitLabel,
  initial = '',
  autoFocus = false,
  onSubmit,
  onCancel,
  children,
}: {
  label: string;
  submitLabel: string;
  initial?: string;
  autoFocus?: boolean;
  onSubmit: (body: string) => Promise<FormOutcome>;
  onCancel?: () => void;
  children?: React.ReactNode;
}) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ error: boolean; message: string } | null>(null);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const sent = text;
      const result = await onSubmit(sent);
      if (result.ok) {
        // Only what was sent: anything typed while it was on its way stays.
        setText((current) => (current === sent ? '' : current));
        setStatus(result.data.message ? { error: false, message: result.data.message } : null);
      } else {
        setStatus({ error: true, message: result.message });
        if (result.values?.body !== undefined) setText(result.values.body);
      }
    } catch {
      setStatus({ error: true, message: 'Something went wrong. Your text is still here; please try again.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="reply-form" onSubmit={submit} noValidate>
      <label htmlFor={id}>{label}</label>
      {children}
      <textarea
        id={id}
        name="body"
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoFocus={autoFocus}
        aria-describedby={`${id}-status`}
        aria-invalid={status?.error || undefined}
      />
      <FormStatus id={`${id}-status`} message={status?.message} tone={status?.error ? 'error' : 'ok'} />
      <div className="reply-form-actions">
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? 'Sending…' : submitLabel}
        </button>
        {onCancel && (
          <button className="button" type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
