'use client';
import { useId, useState, type ReactNode, type Ref } from 'react';
import { entryClassName, Labels } from '@/components/stream-item';
import { Field } from '@/components/ui/field';
import { previewEntry } from '@/lib/desk/actions';
import { BodyField, type BodyHandle } from './body-field';
import type { RunAction } from './use-desk-action';

type Rendered = { headline: string; html: string };

/** Preview: the server renders the text with the published page's own pipeline; nothing is saved. */
export function usePreview(run: RunAction) {
  const [rendered, setRendered] = useState<Rendered | null>(null);
  return {
    rendered,
    show: (body: string, headline: string) =>
      run(
        () => previewEntry({ body, headline }),
        (result) => {
          setRendered(result);
          return '';
        },
      ),
    clear: () => setRendered(null),
  };
}

type Flags = { pinned: boolean; keyEvent: boolean };

/**
 * The preview, marked up and styled as the stream shows an update (components/stream-item.tsx
 * StreamEntry), without the time and link it gets when published.
 */
function DraftPreview({ rendered, flags }: { rendered: Rendered; flags: Flags }) {
  const item = { kind: 'update' as const, ...flags };
  return (
    <section className="editor-preview" aria-label="Preview">
      <p className="hint">Preview: not published yet.</p>
      <div className={entryClassName(item)}>
        <Labels item={item} />
        <h3>{rendered.headline}</h3>
        {/* Server-rendered from checked MDX, exactly as a published update (lib/desk/service.ts preview). */}
        <div className="prose" dangerouslySetInnerHTML={{ __html: rendered.html }} />
      </div>
    </section>
  );
}

type Text = { body: string; headline: string };

/**
 * What the composer and the edit form share (SPEC §9): the Update text with its toolbar, the
 * Headline, the preview, and a row of buttons that starts with Preview. `children` are the form's
 * own fields (after the headline), `actions` its own buttons (after Preview). Enter in a field
 * does not submit: publishing is always a button pressed on purpose.
 */
export function UpdateForm({
  text,
  onChange,
  flags,
  busy,
  preview,
  bodyRef,
  autoFocus = false,
  children,
  actions,
}: {
  text: Text;
  onChange: (patch: Partial<Text>) => void;
  flags: Flags;
  busy: boolean;
  preview: ReturnType<typeof usePreview>;
  bodyRef?: Ref<BodyHandle>;
  autoFocus?: boolean;
  children?: ReactNode;
  actions: ReactNode;
}) {
  const id = useId();
  return (
    <form className="stack-form editor-form" aria-busy={busy} noValidate onSubmit={(e) => e.preventDefault()}>
      <BodyField
        ref={bodyRef}
        value={text.body}
        disabled={busy}
        autoFocus={autoFocus}
        onChange={(body) => onChange({ body })}
      />
      <Field
        label="Headline"
        name="headline"
        id={`${id}-headline`}
        hint="Optional: the update’s first line if left empty."
        maxLength={200}
        value={text.headline}
        onChange={(e) => onChange({ headline: e.target.value })}
      />
      {children}
      {preview.rendered && <DraftPreview rendered={preview.rendered} flags={flags} />}
      <div className="editor-actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => preview.show(text.body, text.headline)}
        >
          Preview
        </button>
        {actions}
      </div>
    </form>
  );
}
