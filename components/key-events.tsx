import Link from 'next/link';
import type { Article } from '@/lib/content/model';
import { LocalTime } from './local-time';

/** The "Key events" list: the moments of a story worth jumping to. */
export function KeyEvents({ events }: { events: Article[] }) {
  if (events.length === 0) return null;
  return (
    // Named by `title`, not aria-labelledby: the region stays "Key events" while the desk's
    // checkbox stays the only thing labelled "Key event" on the page (SPEC §9's names).
    <section className="key-events" role="region" title="Key events">
      <h2 id="key-events" className="section-title">
        Key events
      </h2>
      <ol>
        {events.map((a) => (
          <li key={a.slug}>
            <Link href={`/articles/${a.slug}`}>{a.title}</Link>{' '}
            <span className="meta">
              <LocalTime iso={a.publishedAt} />
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
