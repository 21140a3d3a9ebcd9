'use client';
import { useEffect, useId, useRef, useState } from 'react';
import { StreamEntry } from '@/components/stream-item';
import { FormStatus } from '@/components/ui/form-status';
import type { StreamItem } from '@/lib/content/dto';
import { deleteEntry, loadEntry, setEntryFlag } from '@/lib/desk/actions';
import type { EditableEntry } from '@/lib/desk/dto';
import { EditForm } from './edit-form';
import { useDeskAction, useRefreshStream } from './use-desk-action';

type Mode = { name: 'view' } | { name: 'edit'; entry: EditableEntry } | { name: 'confirm-delete' };

// What a flag's change says. Not "Pinned"/"Unpinned": the item's own "Pinned" label says that.
const SAID = {
  pinned: ['No longer at the top of the stream.', 'Now at the top of the stream.'],
  keyEvent: ['No longer a key event.', 'Marked as a key event.'],
} as const;

/**
 * A stream item on an editor's screen (SPEC §9): the item as readers see it, with Edit, Pin or
 * Unpin, Mark key event and Delete (confirmed inline) under it, grouped under the item's title so
 * each button keeps its plain name. Edit puts the edit form in place of the item's text. Every
 * outcome is said in the item's one `role="status"` region; each change refetches the stream.
 */
export function ManagedEntry({
  item,
  editedLive,
  topic,
}: {
  item: StreamItem;
  editedLive: boolean;
  topic: string;
}) {
  const id = useId();
  const { busy, status, run } = useDeskAction();
  const refreshStream = useRefreshStream(topic);
  const [mode, setMode] = useState<Mode>({ name: 'view' });
  const editButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  /** The button focus goes back to when the form or the confirmation closes (rendered again by then). */
  const returnTo = useRef<'edit' | 'delete' | null>(null);

  useEffect(() => {
    if (mode.name !== 'view' || !returnTo.current) return;
    (returnTo.current === 'edit' ? editButton : deleteButton).current?.focus();
    returnTo.current = null;
  }, [mode]);

  const back = (to: 'edit' | 'delete') => {
    returnTo.current = to;
    setMode({ name: 'view' });
  };
  const edit = () =>
    run(
      () => loadEntry({ slug: item.slug }),
      (entry) => {
        setMode({ name: 'edit', entry });
        return '';
      },
    );
  const changed = (message: string) => async () => {
    await refreshStream();
    return message;
  };
  const toggle = (flag: 'pinned' | 'keyEvent') => {
    const value = !item[flag];
    return run(() => setEntryFlag({ slug: item.slug, flag, value }), changed(SAID[flag][Number(value)]!));
  };
  const remove = () =>
    run(
      () => deleteEntry({ slug: item.slug }),
      changed('Deleted.'),
      () => back('delete'),
    );

  const controls =
    mode.name === 'edit' ? null : (
      <div role="group" aria-label="Editor controls" className="editor-controls">
        {mode.name === 'confirm-delete' ? (
          <>
            <p className="editor-confirm">Delete this {item.kind === 'update' ? 'update' : 'article'}?</p>
            <button type="button" className="button danger" disabled={busy} onClick={remove}>
              Delete
            </button>
            <button type="button" className="button" autoFocus onClick={() => back('delete')}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button ref={editButton} type="button" className="button" disabled={busy} onClick={edit}>
              Edit
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => toggle('pinned')}>
              {item.pinned ? 'Unpin' : 'Pin'}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => toggle('keyEvent')}>
              {item.keyEvent ? 'Unmark key event' : 'Mark key event'}
            </button>
            <button
              ref={deleteButton}
              type="button"
              className="button danger"
              disabled={busy}
              onClick={() => setMode({ name: 'confirm-delete' })}
            >
              Delete
            </button>
          </>
        )}
      </div>
    );

  return (
    <StreamEntry
      item={item}
      editedLive={editedLive}
      body={
        mode.name === 'edit' ? (
          <EditForm
            entry={mode.entry}
            flags={item}
            run={run}
            busy={busy}
            onSaved={async () => {
              await refreshStream();
              back('edit');
            }}
            onCancel={() => back('edit')}
          />
        ) : undefined
      }
      footer={
        <>
          {controls}
          <FormStatus id={`${id}-status`} message={status?.message} tone={status?.tone} />
        </>
      }
    />
  );
}
