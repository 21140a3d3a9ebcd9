'use client';
import { LocalTime } from '@/components/local-time';
import { FormStatus } from '@/components/ui/form-status';
import { restoreEntry } from '@/lib/desk/actions';
import type { TrashedFile } from '@/lib/desk/files';
import { useDeskAction } from './use-desk-action';

/** The trashed files, each with Restore; the result stays in the section's status region. */
export function TrashList({ trash }: { trash: TrashedFile[] }) {
  const { status, act } = useDeskAction();
  return (
    <>
      {trash.length === 0 ? (
        <p>The trash is empty.</p>
      ) : (
        <ul className="desk-trash">
          {trash.map((t) => (
            <li key={t.path}>
              <dl className="desk-facts">
                <dt>File</dt>
                <dd>
                  <code>{t.path}</code>
                </dd>
                <dt>From</dt>
                <dd>
                  <code>{t.original}</code>
                </dd>
                <dt>Deleted</dt>
                <dd>
                  <LocalTime iso={new Date(t.deletedAt).toISOString()} />
                </dd>
              </dl>
              <button
                {...act(
                  () => restoreEntry({ path: t.path }),
                  ({ file }) => `Restored ${file}.`,
                )}
              >
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormStatus id="trash-status" tone={status.tone} message={status.message} />
    </>
  );
}
