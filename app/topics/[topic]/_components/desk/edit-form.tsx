'use client';
import { useId, useState } from 'react';
import { Field } from '@/components/ui/field';
import { editEntry } from '@/lib/desk/actions';
import type { ConflictVersion, EditableEntry } from '@/lib/desk/dto';
import { UpdateForm, usePreview } from './update-form';
import type { RunAction } from './use-desk-action';

/** The other version a `conflict` carries (lib/desk/files.ts ConflictError), if it is whole. */
function theirVersion(current: Record<string, string> | undefined): ConflictVersion | null {
  if (!current) return null;
  const { headline, body, fingerprint } = current;
  return typeof body === 'string' && typeof fingerprint === 'string'
    ? { headline: headline ?? '', body, fingerprint }
    : null;
}

/**
 * An item's edit form, in place of its text (SPEC §9): the same Update field and toolbar as the
 * composer, the headline and an optional correction note for readers. A save refused because the
 * file changed meanwhile (`conflict`) keeps the editor's text and shows the other version beside
 * it; the next Save is made against that version, so overwriting it after seeing it is deliberate.
 * Outcomes go to the item's one status region (managed-entry.tsx), through `run`.
 */
export function EditForm({
  entry,
  flags,
  run,
  busy,
  onSaved,
  onCancel,
}: {
  entry: EditableEntry;
  /** The item's Pinned and Key event, for the preview. */
  flags: { pinned: boolean; keyEvent: boolean };
  run: RunAction;
  busy: boolean;
  onSaved: () => Promise<void>;
  onCancel: () => void;
}) {
  const id = useId();
  const preview = usePreview(run);
  const [draft, setDraft] = useState({
    body: entry.body,
    headline: entry.headline,
    correction: entry.correction,
  });
  const [fingerprint, setFingerprint] = useState(entry.fingerprint);
  const [theirs, setTheirs] = useState<ConflictVersion | null>(null);
  const change = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = () =>
    run(
      () => editEntry({ slug: entry.slug, fingerprint, ...draft }),
      async () => {
        await onSaved();
        return 'Saved.';
      },
      (failure) => {
        const current = failure.code === 'conflict' ? theirVersion(failure.current) : null;
        if (!current) return;
        setTheirs(current);
        setFingerprint(current.fingerprint);
      },
    );

  const takeTheirs = () => {
    if (!theirs) return;
    change({ body: theirs.body, headline: theirs.headline });
    setTheirs(null);
  };

  return (
    <UpdateForm
      text={draft}
      onChange={change}
      flags={flags}
      busy={busy}
      preview={preview}
      autoFocus
      actions={
        <>
          <button type="button" className="button primary" disabled={busy} onClick={save}>
            Save
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      }
    >
      <Field
        label="Correction note"
        name="correction"
        id={`${id}-correction`}
        hint="Optional. Shown to readers as “Correction: …” with the item."
        maxLength={500}
        value={draft.correction}
        onChange={(e) => change({ correction: e.target.value })}
      />
      {theirs && (
        <div className="editor-theirs">
          <div className="field">
            <label htmlFor={`${id}-theirs`}>Their version</label>
            {theirs.headline && <p className="hint">Headline: {theirs.headline}</p>}
            <textarea id={`${id}-theirs`} rows={6} readOnly value={theirs.body} />
          </div>
          <p className="hint">Save now and yours replaces theirs; or start again from theirs.</p>
          <button type="button" className="button" disabled={busy} onClick={takeTheirs}>
            Use their version
          </button>
        </div>
      )}
    </UpdateForm>
  );
}
