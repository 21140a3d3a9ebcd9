import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { LocalTime } from '@/components/local-time';
import type { DeskEntry, EntryStatus } from '@/lib/desk/dto';
import { getDeskOverview, type DeskOverview } from '@/lib/desk/queries';
import { isSlug } from '@/lib/links';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { DeskSection } from './_components/desk-section';
import { DeskLog } from './_components/desk-log';
import { NewTopicForm } from './_components/new-topic-form';
import { TopicLiveList } from './_components/topic-live-list';
import { TrashList } from './_components/trash-list';
import { deskMetadata, requireEditor } from './require-editor';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = deskMetadata(
  'Desk',
  'Every article and update, topics and the trash.',
  '/desk',
);

const STATUSES = {
  draft: 'Drafts',
  scheduled: 'Scheduled',
  published: 'Published',
  error: 'Errors',
} as const;
const STATUS_LABEL: Record<EntryStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
};

/** The query string's filters; a bad value is ignored, not an error (the list is shown unfiltered by it). */
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const slugParam = z.preprocess(first, z.string().refine(isSlug).optional()).catch(undefined);
const filtersSchema = z.object({
  topic: slugParam,
  author: slugParam,
  status: z
    .preprocess(first, z.enum(['draft', 'scheduled', 'published', 'error']).optional())
    .catch(undefined),
});

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DeskPage(props: Props) {
  return renderOrUnavailable(
    () => renderDesk(props),
    () => <Unavailable retry="/desk" />,
  );
}

async function renderDesk({ searchParams }: Props) {
  await requireEditor('/desk');
  const filters = filtersSchema.parse(await searchParams);
  const desk = await getDeskOverview(filters);
  const topicTitle = new Map(desk.topics.map((t) => [t.slug, t.title]));
  const authorName = new Map(desk.authors.map((a) => [a.slug, a.name]));
  return (
    <div className="desk">
      <div className="desk-head">
        <h1 className="page-title">Desk</h1>
        <Link className="button primary" href="/desk/new">
          New article
        </Link>
      </div>

      <DeskSection id="desk-list-title" title="Articles and updates">
        <Filters desk={desk} filters={filters} />
        <p className="meta">
          {desk.total > desk.entries.length
            ? `Showing ${desk.entries.length} of ${desk.total}, newest first.`
            : `${desk.total} ${desk.total === 1 ? 'item' : 'items'}, newest first.`}
        </p>
        {desk.entries.length > 0 && (
          <ol className="desk-list">
            {desk.entries.map((e) => (
              <Entry key={e.file} entry={e} topicTitle={topicTitle} authorName={authorName} />
            ))}
          </ol>
        )}
      </DeskSection>

      <DeskSection id="desk-errors-title" title="Content errors">
        {filters.status && filters.status !== 'error' ? (
          <p>Not listed with this filter: choose the status All or Errors.</p>
        ) : desk.errors.length === 0 ? (
          <p>No content errors.</p>
        ) : (
          <>
            <p>
              These files are left out of the site until they are fixed (as npm run content:check prints
              them):
            </p>
            <ul className="desk-errors">
              {desk.errors.map((e) => (
                <li key={`${e.file}:${e.line}:${e.reason}`}>
                  <code>
                    {e.file}:{e.line}: {e.reason}
                  </code>
                </li>
              ))}
            </ul>
          </>
        )}
      </DeskSection>

      <DeskSection id="desk-topics-title" title="Topics">
        <TopicLiveList topics={desk.topics} />
        <NewTopicForm />
      </DeskSection>

      <DeskSection id="desk-trash-title" title="Trash">
        <TrashList trash={desk.trash} />
      </DeskSection>

      <DeskSection id="desk-log-title" title="Recent desk activity">
        <DeskLog log={desk.log} />
      </DeskSection>
    </div>
  );
}

type Filters = z.infer<typeof filtersSchema>;

function Filters({ desk, filters }: { desk: DeskOverview; filters: Filters }) {
  const selects: [name: keyof Filters, label: string, all: string, options: [string, string][]][] = [
    ['topic', 'Topic', 'All topics', desk.topics.map((t) => [t.slug, t.title])],
    ['author', 'Author', 'All authors', desk.authors.map((a) => [a.slug, a.name])],
    ['status', 'Status', 'All', Object.entries(STATUSES)],
  ];
  return (
    <form className="desk-filters" method="get" action="/desk" aria-label="Filter the list">
      {selects.map(([name, label, all, options]) => (
        <div className="field" key={name}>
          <label htmlFor={`filter-${name}`}>{label}</label>
          <select id={`filter-${name}`} name={name} defaultValue={filters[name] ?? ''}>
            <option value="">{all}</option>
            {options.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </div>
      ))}
      <button className="button" type="submit">
        Filter
      </button>
    </form>
  );
}

function Entry({
  entry: e,
  topicTitle,
  authorName,
}: {
  entry: DeskEntry;
  topicTitle: Map<string, string>;
  authorName: Map<string, string>;
}) {
  const published = e.status === 'published';
  return (
    <li className="desk-entry">
      <h3 className="desk-entry-title">
        <Link href={published ? `/articles/${e.slug}` : `/desk/edit/${e.slug}`}>{e.title}</Link>
      </h3>
      <ul className="badges" aria-label="Labels">
        <li className={`badge status-${e.status}`}>{STATUS_LABEL[e.status]}</li>
        <li className="badge">{e.kind === 'update' ? 'Update' : 'Article'}</li>
        {e.pinned && <li className="badge">Pinned</li>}
        {e.keyEvent && <li className="badge">Key event</li>}
      </ul>
      <p className="meta">
        {e.topics.map((t) => topicTitle.get(t) ?? t).join(', ')}
        {e.authors.length > 0 && <> · by {e.authors.map((a) => authorName.get(a) ?? a).join(', ')}</>}
      </p>
      <p className="meta">
        <LocalTime
          iso={e.publishedAt}
          prefix={
            e.status === 'published' ? 'Published ' : e.status === 'scheduled' ? 'Publishes ' : 'Dated '
          }
        />
        {e.updatedAt && (
          <>
            {' · '}
            <LocalTime iso={e.updatedAt} prefix="Updated " />
          </>
        )}
      </p>
      <p className="desk-entry-links">
        <Link href={`/desk/edit/${e.slug}`}>Edit</Link>
        <Link href={`/desk/history/${e.slug}`}>History</Link>
      </p>
    </li>
  );
}
