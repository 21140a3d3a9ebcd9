'use client';
import { useId, useRef, useState } from 'react';
import { uploadImage } from '@/lib/media/upload-image';
import { figureTag } from './markup';
import type { DeskStatus, RunAction } from './use-desk-action';

const ADDED = 'Photo added to the update.';

/**
 * A photo for the update, from the camera roll or the camera: uploaded as soon as it is chosen
 * (POST /api/media through lib/media/upload-image.ts), then put into the text as
 * `<Figure src alt />` once it has alt text, which the content check requires and readers who
 * cannot see it hear instead.
 */
export function PhotoField({
  run,
  setStatus,
  busy,
  onInsert,
}: {
  run: RunAction;
  setStatus: (status: DeskStatus) => void;
  busy: boolean;
  onInsert: (figure: string) => void;
}) {
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const altInput = useRef<HTMLInputElement>(null);
  const [alt, setAlt] = useState('');
  /** The uploaded photo's src, waiting for its alt text. */
  const [waiting, setWaiting] = useState<string | null>(null);

  const insert = (src: string, text: string) => {
    onInsert(figureTag(src, text));
    setWaiting(null);
    setAlt('');
    if (fileInput.current) fileInput.current.value = '';
  };

  async function upload(file: File) {
    const form = new FormData();
    form.set('image', file);
    await run(
      () => uploadImage(form),
      ({ src }) => {
        // Alt text typed before (or while) the photo went up: it goes in at once.
        const text = altInput.current?.value.trim() ?? '';
        if (text) {
          insert(src, text);
          return ADDED;
        }
        setWaiting(src);
        altInput.current?.focus();
        return 'Photo uploaded. Describe it in Alt text, then choose Insert photo.';
      },
      () => {
        // The same file can be chosen again.
        if (fileInput.current) fileInput.current.value = '';
      },
    );
  }

  function insertWaiting() {
    if (!waiting) return;
    if (!alt.trim()) {
      setStatus({ tone: 'error', message: 'Describe the photo in Alt text first.' });
      altInput.current?.focus();
      return;
    }
    insert(waiting, alt);
    setStatus({ tone: 'ok', message: ADDED });
  }

  return (
    <div className="editor-photo">
      <div className="field">
        <label htmlFor={`${id}-file`}>Photo</label>
        <input
          id={`${id}-file`}
          ref={fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-alt`}>Alt text</label>
        <input
          id={`${id}-alt`}
          ref={altInput}
          type="text"
          value={alt}
          maxLength={300}
          aria-describedby={`${id}-alt-hint`}
          aria-required={waiting ? true : undefined}
          onChange={(e) => setAlt(e.target.value)}
        />
        <p id={`${id}-alt-hint`} className="hint">
          What the photo shows, for readers who cannot see it. Needed before the photo goes in.
        </p>
      </div>
      {waiting && (
        <button type="button" className="button" disabled={busy} onClick={insertWaiting}>
          Insert photo
        </button>
      )}
    </div>
  );
}
