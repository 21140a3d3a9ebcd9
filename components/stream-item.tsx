import Link from 'next/link';
import type { ReactNode } from 'react';
import type { StreamItem } from '@/lib/content/dto';
import { LocalTime } from './local-time';

type Labelled = { pinned: boolean; keyEvent: boolean; kind: 'article' | 'update'; draft?: boolean };

/** "Pinned", "Key event", "Update", "Draft" labels of a story. */
export function Labels({ item }: { item: Labelled }) {
  const labels = [
    item.pinned && 'Pinned',
    item.keyEvent && 'Key event',
    item.kind === 'update' && 'Update',
    item.draft && 'Draft',
  ].filter(Boolean) as string[];
  if (labels.length === 0) return null;
  return (
    <ul className="badges" aria-label="Labels">
      {labels.map((b) => (
        <li key={b} className="badge">
          {b}
        </li>
      ))}
    </ul>
  );
}

/** What an edit corrected, told to readers (SPEC §2 `correction`): plain text, never HTML. */
export function Correction({ text }: { text: string }) {
  return (
    <p className="correction">
      <strong>Correction:</strong> {text}
    </p>
  );
}

/** The classes of a stream entry (and of the desk's preview of one, which must look the same). */
export const entryClassName = (item: Omit<Labelled, 'draft'>) =>
  ['entry', item.kind === 'update' ? 'update' : 'card', item.pinned && 'pinned', item.keyEvent && 'key']
    .filter(Boolean)
    .join(' ');

/**
 * One entry of a topic stream: an update in full, or an article as a card. Rendered by the server
 * and by the live stream in the browser from the same data, so both look the same. On an editor's
 * screen the desk fills `body` (the edit form, in place of the text) and `footer` (its controls).
 */
export function StreamEntry({
  item,
  editedLive = false,
  body,
  footer,
}: {
  item: StreamItem;
  editedLive?: boolean;
  /** Shown instead of the update's text or the article's summary. */
  body?: ReactNode;
  /** Shown after the text, inside the entry. */
  footer?: ReactNode;
}) {
  return (
    <article
      className={entryClassName(item)}
      id={`u-${item.slug}`}
      tabIndex={-1}
      aria-labelledby={`t-${item.slug}`}
    >
      <Labels item={item} />
      <p className="meta">
        <Link href={`/articles/${item.slug}`}>
          <LocalTime iso={item.publishedAt} />
        </Link>
        {item.updatedAt ? (
          <>
            {' · '}
            <span className="updated-mark">
              <LocalTime iso={item.updatedAt} prefix="Updated " />
            </span>
          </>
        ) : (
          // Changed while the page was open, without a new updatedAt: still say so.
          editedLive && (
            <>
              {' · '}
              <span className="updated-mark">Updated</span>
            </>
          )
        )}
      </p>
      {item.correction && <Correction text={item.correction} />}
      {item.kind === 'update' ? (
        <>
          <h2 id={`t-${item.slug}`}>{item.title}</h2>
          {body ?? (
            // Editors' HTML, rendered at load from checked MDX (components/mdx/mdx-body.tsx).
            <div className="prose" dangerouslySetInnerHTML={{ __html: item.html ?? '' }} />
          )}
        </>
      ) : (
        <>
          <h2 id={`t-${item.slug}`}>
            <Link href={`/articles/${item.slug}`}>{item.title}</Link>
          </h2>
          {body ?? <p>{item.summary}</p>}
        </>
      )}
      {footer}
    </article>
  );
}
