'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type ChangeEvent, type FormEvent } from 'react';
import { useHydrated } from '@/app/islands';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { previewEntry, saveArticle } from '@/lib/desk/actions';
import type { ConflictVersion } from '@/lib/desk/dto';
import type { ArticleFormValues, DeskChoices } from '@/lib/desk/queries';
import { uploadImage } from '@/lib/media/upload-image';
import type { DeskStatus } from './use-desk-action';

/** The form's labels by the server's field paths, so a refusal names the field as the editor sees it. */
const LABELS: Record<string, string> = {
  title: 'Title',
  kind: 'Kind',
  topics: 'Topics',
  authors: 'Authors',
  publishedAt: 'Published at',
  summary: 'Summary',
  'image.src': 'Image',
  'image.alt': 'Alt text',
  'image.caption': 'Caption',
  'image.credit': 'Credit',
  replies: 'Replies',
  correction: 'Correction note',
  body: 'Body',
};
/** `topics.0` → `topics`: errors are shown per field, not per list item. */
const fieldOf = (path: string) => (path in LABELS ? path : path.split('.')[0]!);
const sentence = (s: string) => (/[.!?…]$/.test(s) ? s : `${s}.`);

/** The image's text fields; alt text is required whenever the image has a src (SPEC §2). */
const IMAGE_TEXT: { name: 'alt' | 'caption' | 'credit'; label: string; max: number; hint?: string }[] = [
  {
    name: 'alt',
    label: 'Alt text',
    max: 300,
    hint: 'Required with an image: what it shows, for readers who cannot see it.',
  },
  { name: 'caption', label: 'Caption', max: 500 },
  { name: 'credit', label: 'Credit', max: 200 },
];

const pad = (n: number) => String(n).padStart(2, '0');
/** An instant as a datetime-local value in the browser's time zone (minutes; the saved ISO keeps its seconds). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

type Props = {
  /** The article being edited; absent for a new one. */
  article?: ArticleFormValues;
  choices: DeskChoices;
  /** Just saved as a new article (the new page sends the editor here). */
  saved?: boolean;
};

/**
 * The long-article form (SPEC §2 frontmatter and the MDX body), for a new article and an edit.
 * Nothing is lost on a refusal: the form is never reset, a conflict keeps the editor's text and
 * shows the other version beside it, and a second Save is checked against that version.
 */
export function ArticleForm({ article, choices, saved = false }: Props) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [saving, startSave] = useTransition();
  const [previewing, startPreview] = useTransition();
  const [uploading, startUpload] = useTransition();

  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [src, setSrc] = useState(article?.image.src ?? '');
  /** ISO with offset; empty on a new article means "now". */
  const [publishedAt, setPublishedAt] = useState(article?.publishedAt ?? '');
  const [fingerprint, setFingerprint] = useState(article?.fingerprint);
  const [status, setStatus] = useState<DeskStatus>({ message: saved ? 'Saved.' : '', tone: 'ok' });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [conflict, setConflict] = useState<ConflictVersion | null>(null);
  const [preview, setPreview] = useState<{ headline: string; html: string } | null>(null);

  const say = (message: string, tone: DeskStatus['tone'] = 'error') => setStatus({ message, tone });
  const errorOf = (field: string) => errors[field];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '');
    const input = {
      ...(article ? { slug: article.slug, fingerprint } : {}),
      title,
      kind: text('kind'),
      topics: data.getAll('topics').map(String),
      authors: data.getAll('authors').map(String),
      publishedAt: publishedAt || new Date().toISOString(),
      summary: text('summary'),
      image: src.trim()
        ? { src, alt: text('alt'), caption: text('caption'), credit: text('credit') }
        : undefined,
      keyEvent: data.get('keyEvent') === 'on',
      pinned: data.get('pinned') === 'on',
      draft: data.get('draft') === 'on',
      replies: text('replies'),
      correction: text('correction'),
      body,
    };
    startSave(async () => {
      const result = await saveArticle(input);
      if (result.ok) {
        setErrors({});
        setConflict(null);
        setFingerprint(result.data.fingerprint);
        say('Saved.', 'ok');
        if (!article) router.replace(`/desk/edit/${result.data.slug}?saved=1`);
        return;
      }
      const byField: Record<string, string[]> = {};
      for (const [path, messages] of Object.entries(result.fieldErrors ?? {}))
        (byField[fieldOf(path)] ??= []).push(...messages);
      setErrors(byField);
      const named = Object.entries(byField).map(([f, m]) => `${LABELS[f] ?? f}: ${sentence(m.join(' '))}`);
      say(named.length > 0 ? `Not saved. ${named.join(' ')}` : result.message);
      if (result.code === 'conflict' && result.current) {
        const current = result.current as ConflictVersion;
        setConflict(current);
        setFingerprint(current.fingerprint);
      }
    });
  }

  function onPreview() {
    startPreview(async () => {
      const result = await previewEntry({ body, headline: title });
      if (!result.ok) {
        setPreview(null);
        return say(result.message);
      }
      setPreview(result.data);
      say('Preview below.', 'ok');
    });
  }

  function onPhoto(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const upload = new FormData();
    upload.set('image', file);
    startUpload(async () => {
      const result = await uploadImage(upload);
      input.value = '';
      if (!result.ok) return say(result.message);
      setSrc(result.data.src);
      say(`Photo uploaded as ${result.data.src}. Describe it in Alt text.`, 'ok');
    });
  }

  const describedBy = (id: string, field: string, hint = false) =>
    [hint && `${id}-hint`, errorOf(field) && `${id}-error`].filter(Boolean).join(' ') || undefined;

  return (
    <form className="desk-form" onSubmit={onSubmit} aria-describedby="article-status">
      <Field
        label="Title"
        name="title"
        id="article-title"
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        errors={errorOf('title')}
      />

      <div className="field">
        <label htmlFor="article-kind">Kind</label>
        <select id="article-kind" name="kind" defaultValue={article?.kind ?? 'article'}>
          <option value="article">Article</option>
          <option value="update">Update (shown in full in its topics’ streams)</option>
        </select>
      </div>

      <Choices
        legend="Topics"
        name="topics"
        options={choices.topics.map((t) => ({ value: t.slug, label: t.title }))}
        checked={article?.topics}
        errors={errorOf('topics')}
      />
      <Choices
        legend="Authors"
        name="authors"
        hint="None chosen: your own byline, if your account has one."
        options={choices.authors.map((a) => ({ value: a.slug, label: a.name }))}
        checked={article?.authors}
        errors={errorOf('authors')}
      />

      <Field
        label="Published at"
        name="publishedAt"
        id="article-published"
        type="datetime-local"
        hint={
          article
            ? 'In your time zone. A time to come schedules it.'
            : 'In your time zone. Empty: now. A time to come schedules it.'
        }
        value={hydrated && publishedAt ? toLocalInput(publishedAt) : ''}
        onChange={(e) => setPublishedAt(e.target.value ? new Date(e.target.value).toISOString() : '')}
        errors={errorOf('publishedAt')}
      />

      <div className="field">
        <label htmlFor="article-summary">Summary</label>
        <p id="article-summary-hint" className="hint">
          Optional, 400 characters at most. Empty: the first paragraph.
        </p>
        <textarea
          id="article-summary"
          name="summary"
          rows={3}
          maxLength={400}
          defaultValue={article?.summary}
          aria-invalid={errorOf('summary') ? true : undefined}
          aria-describedby={describedBy('article-summary', 'summary', true)}
        />
        <FieldError id="article-summary" errors={errorOf('summary')} />
      </div>

      <fieldset className="desk-fieldset">
        <legend>Lead image</legend>
        <Field
          label="Image"
          name="src"
          id="article-image"
          hint="A path such as /media/2026/11/… or /images/…; or upload a photo below."
          maxLength={500}
          value={src}
          onChange={(e) => setSrc(e.target.value)}
          errors={errorOf('image.src')}
        />
        <Field
          label="Photo"
          name="photo"
          id="article-photo"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          hint="JPEG, PNG or WebP; it is stored re-encoded, without its metadata."
          disabled={uploading}
          onChange={onPhoto}
        />
        {IMAGE_TEXT.map(({ name, label, max, hint }) => (
          <Field
            key={name}
            label={label}
            name={name}
            id={`article-${name}`}
            hint={hint}
            required={name === 'alt' && src.trim() !== ''}
            maxLength={max}
            defaultValue={article?.image[name]}
            errors={errorOf(`image.${name}`)}
          />
        ))}
      </fieldset>

      <fieldset className="desk-fieldset desk-flags">
        <legend>Options</legend>
        <label className="check">
          <input type="checkbox" name="keyEvent" defaultChecked={article?.keyEvent} /> Key event
        </label>
        <label className="check">
          <input type="checkbox" name="pinned" defaultChecked={article?.pinned} /> Pinned
        </label>
        <label className="check">
          <input type="checkbox" name="draft" defaultChecked={article?.draft} /> Draft
        </label>
        <div className="field">
          <label htmlFor="article-replies">Replies</label>
          <select id="article-replies" name="replies" defaultValue={article?.replies ?? 'open'}>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
          </select>
        </div>
      </fieldset>

      <Field
        label="Correction note"
        name="correction"
        id="article-correction"
        hint="Shown to readers as “Correction: …” above the article."
        maxLength={500}
        defaultValue={article?.correction}
        errors={errorOf('correction')}
      />

      <div className="field">
        <label htmlFor="article-body">Body</label>
        <p id="article-body-hint" className="hint">
          Markdown (MDX) with &lt;Figure&gt;, &lt;PullQuote&gt; and &lt;Callout&gt;.
        </p>
        <textarea
          id="article-body"
          name="body"
          rows={16}
          required
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-invalid={errorOf('body') ? true : undefined}
          aria-describedby={describedBy('article-body', 'body', true)}
        />
        <FieldError id="article-body" errors={errorOf('body')} />
      </div>

      <div className="desk-actions">
        <button type="button" className="button" disabled={previewing} onClick={onPreview}>
          Preview
        </button>
        <button type="submit" className="button primary" disabled={saving || uploading}>
          Save
        </button>
      </div>
      <FormStatus id="article-status" tone={status.tone} message={status.message} />

      {conflict && (
        <section className="desk-conflict" aria-labelledby="their-version">
          <h2 id="their-version">Their version</h2>
          <p>
            <strong>Title:</strong> {conflict.headline}
          </p>
          <label htmlFor="their-body">Their text</label>
          <textarea id="their-body" readOnly rows={10} value={conflict.body} />
          <button
            type="button"
            className="button"
            onClick={() => {
              setTitle(conflict.headline);
              setBody(conflict.body);
              setConflict(null);
              say('Their version is in the form; Save keeps it.', 'ok');
            }}
          >
            Use their version
          </button>
        </section>
      )}

      {preview && (
        <section className="desk-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <p className="desk-preview-title">{preview.headline}</p>
          {/* Server-produced HTML of checked MDX, as the article page shows a body. It scrolls
              sideways as one focusable region (a wide table on a phone), so keyboards reach it. */}
          <div
            className="prose"
            role="region"
            aria-label="Body as readers see it"
            tabIndex={0}
            dangerouslySetInnerHTML={{ __html: preview.html }}
          />
        </section>
      )}
    </form>
  );
}

/** A checkbox list (topics, authors) as one labelled group. */
function Choices({
  legend,
  name,
  options,
  checked = [],
  hint,
  errors,
}: {
  legend: string;
  name: string;
  options: { value: string; label: string }[];
  checked?: string[];
  hint?: string;
  errors?: string[];
}) {
  const id = `article-${name}`;
  const describedBy = [hint && `${id}-hint`, errors && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className="desk-fieldset desk-choices" aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {options.map((o) => (
        <label key={o.value} className="check">
          <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} />{' '}
          {o.label}
        </label>
      ))}
      <FieldError id={id} errors={errors} />
    </fieldset>
  );
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={`${id}-error`} className="field-error">
      {errors.join(' ')}
    </p>
  ) : null;
}
