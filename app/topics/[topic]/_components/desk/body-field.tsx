'use client';
import { useId, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import { FORMATS, type TextEdit } from './markup';

type Edit = (text: string, selectionStart: number, selectionEnd: number) => TextEdit;

/** What a form may do to the text besides the toolbar (insert an uploaded photo): an edit at the selection. */
export type BodyHandle = { apply: (edit: Edit) => void };

/**
 * The update's text (label "Update", SPEC §9) with its toolbar above it, the same in the composer
 * and the edit form. The toolbar's edits are markup.ts's; after one, the editor's selection and
 * focus come back to the text.
 */
export function BodyField({
  value,
  onChange,
  disabled = false,
  autoFocus = false,
  ref,
}: {
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  autoFocus?: boolean;
  ref?: Ref<BodyHandle>;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const selection = useRef<[number, number] | null>(null);

  useLayoutEffect(() => {
    const wanted = selection.current;
    const node = area.current;
    if (!wanted || !node) return;
    selection.current = null;
    node.focus();
    node.setSelectionRange(wanted[0], wanted[1]);
  });

  const apply = (edit: Edit) => {
    const node = area.current;
    if (!node) return;
    const next = edit(node.value, node.selectionStart, node.selectionEnd);
    selection.current = [next.selectionStart, next.selectionEnd];
    onChange(next.text);
  };
  useImperativeHandle(ref, () => ({ apply }));

  return (
    <div className="field editor-body">
      <label htmlFor={id}>Update</label>
      <div role="group" aria-label="Formatting" className="editor-toolbar">
        {FORMATS.map((format) => (
          <button
            key={format.name}
            type="button"
            className="button"
            disabled={disabled}
            onClick={() => apply(format.apply)}
          >
            {format.name}
          </button>
        ))}
      </div>
      <textarea
        id={id}
        ref={area}
        name="body"
        rows={6}
        value={value}
        autoFocus={autoFocus}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        Markdown, with &lt;Figure&gt;, &lt;PullQuote&gt; and &lt;Callout&gt;.
      </p>
    </div>
  );
}
