'use client';
import { useEffect, useId, useRef, useState } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { listBylines, postUpdate } from '@/lib/desk/actions';
import type { BodyHandle } from './body-field';
import { insertAtCaret } from './markup';
import { PhotoField } from './photo-field';
import { UpdateForm, usePreview } from './update-form';
import { useDeskAction, useRefreshStream } from './use-desk-action';

type Draft = { body: string; headline: string; keyEvent: boolean; pinned: boolean };
const EMPTY: Draft = { body: '', headline: '', keyEvent: false, pinned: false };

const formatWhen = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** The authors an update may be bylined to, the editor's own chosen until they pick others. */
function useBylines() {
  const [authors, setAuthors] = useState<{ slug: string; name: string }[]>([]);
  const [chosen, choose] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    void listBylines().then((result) => {
      if (!current || !result.ok) return;
      setAuthors(result.data.authors);
      if (result.data.mine) choose([result.data.mine]);
    });
    return () => {
      current = false;
    };
  }, []);
  return { authors, chosen, choose };
}

/**
 * The composer at the top of a topic's stream (SPEC §9): an update published now, scheduled or kept
 * as a draft, written as a file in CONTENT_DIR by lib/desk. What the editor typed stays after a
 * refusal; a saved update empties the form. A published one is in the stream at once: the stream
 * is refetched and `onPublished` shows it even when the editor has scrolled down to Publish.
 */
export function Composer({
  topic,
  live,
  onPublished,
}: {
  topic: string;
  live: boolean;
  onPublished: (slug: string) => void;
}) {
  const id = useId();
  const { busy, status, setStatus, run } = useDeskAction();
  const refreshStream = useRefreshStream(topic);
  const preview = usePreview(run);
  const body = useRef<BodyHandle>(null);
  const [draft, setDraft] = useState(EMPTY);
  /** "Publish at" (a datetime-local value, the editor's own time), once Schedule has shown it. */
  const [publishAt, setPublishAt] = useState<string | null>(null);
  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const publishAtId = `${id}-publish-at`;
  const bylines = useBylines();

  async function save(mode: 'publish' | 'schedule' | 'draft') {
    let at: string | undefined;
    if (mode === 'schedule') {
      if (publishAt === null) {
        setPublishAt(''); // shown, and focused (autoFocus): the next Schedule schedules
        return;
      }
      const time = new Date(publishAt);
      if (!publishAt || Number.isNaN(time.getTime())) {
        setStatus({ tone: 'error', message: 'Choose when to publish in Publish at.' });
        document.getElementById(publishAtId)?.focus();
        return;
      }
      at = time.toISOString();
    }
    const sent = draft;
    await run(
      () => postUpdate({ topic, ...sent, authors: bylines.chosen, mode, publishAt: at }),
      async (saved) => {
        // Only what was sent: anything typed while it was on its way stays.
        setDraft((d) => (d === sent ? EMPTY : d));
        setPublishAt(null);
        preview.clear();
        if (mode === 'draft') return 'Draft saved.';
        if (mode === 'schedule') return `Scheduled for ${formatWhen(saved.publishedAt)}.`;
        await refreshStream();
        onPublished(saved.slug);
        return 'Published.';
      },
    );
  }

  return (
    <section className="editor-composer">
      <h3>{live ? 'Post a live update' : 'Post an update'}</h3>
      <UpdateForm
        text={draft}
        onChange={change}
        flags={draft}
        busy={busy}
        preview={preview}
        bodyRef={body}
        actions={
          <>
            <button type="button" className="button primary" disabled={busy} onClick={() => save('publish')}>
              Publish
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => save('schedule')}>
              Schedule
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => save('draft')}>
              Save draft
            </button>
          </>
        }
      >
        <div className="editor-checks">
          <label>
            <input
              type="checkbox"
              checked={draft.keyEvent}
              onChange={(e) => change({ keyEvent: e.target.checked })}
            />
            Key event
          </label>
          <label>
            <input
              type="checkbox"
              checked={draft.pinned}
              onChange={(e) => change({ pinned: e.target.checked })}
            />
            Pinned
          </label>
        </div>
        {bylines.authors.length > 0 && (
          <div className="field">
            <label htmlFor={`${id}-byline`}>Byline</label>
            <p className="hint" id={`${id}-byline-hint`}>
              Whose update this is; yours unless you choose others.
            </p>
            <select
              id={`${id}-byline`}
              multiple
              size={Math.min(4, bylines.authors.length)}
              value={bylines.chosen}
              aria-describedby={`${id}-byline-hint`}
              onChange={(e) => bylines.choose([...e.target.selectedOptions].map((o) => o.value))}
            >
              {bylines.authors.map((a) => (
                <option key={a.slug} value={a.slug}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <PhotoField
          run={run}
          setStatus={setStatus}
          busy={busy}
          onInsert={(figure) => body.current?.apply(insertAtCaret(figure))}
        />
        {publishAt !== null && (
          <Field
            label="Publish at"
            name="publishAt"
            id={publishAtId}
            type="datetime-local"
            hint="Your local time. Choose Schedule again to schedule the update."
            autoFocus
            value={publishAt}
            onChange={(e) => setPublishAt(e.target.value)}
          />
        )}
      </UpdateForm>
      <FormStatus id={`${id}-status`} message={status?.message} tone={status?.tone} />
    </section>
  );
}
