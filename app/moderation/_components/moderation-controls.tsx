'use client';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import { approveReply, dismissReports, hideReply, removeReply, restoreReply } from '@/lib/replies/actions';

const acts = {
  approve: { label: 'Approve', run: approveReply },
  hide: { label: 'Hide', run: hideReply },
  restore: { label: 'Restore', run: restoreReply },
  remove: { label: 'Remove', run: removeReply },
  dismiss: { label: 'Dismiss reports', run: dismissReports },
} as const;

/** A reason and the acts a queue allows; every act is checked again by the server action. */
export function ModerationControls({ id, actions }: { id: string; actions: (keyof typeof acts)[] }) {
  const router = useRouter();
  const field = useId();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <div className="moderation-controls">
      <label htmlFor={field}>Reason (logged)</label>
      <input id={field} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <div className="reply-form-actions">
        {actions.map((act) => (
          <button
            key={act}
            type="button"
            className={act === 'remove' ? 'button danger' : 'button'}
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const result = await acts[act].run({ id, reason });
              setBusy(false);
              if (!result.ok) return setMessage(result.message);
              setMessage('');
              router.refresh();
            }}
          >
            {acts[act].label}
          </button>
        ))}
      </div>
      <FormStatus id={`${field}-status`} message={message} />
    </div>
  );
}
