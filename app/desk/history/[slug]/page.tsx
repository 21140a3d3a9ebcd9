import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LocalTime } from '@/components/local-time';
import { getEntryHistory } from '@/lib/desk/queries';
import { isSlug } from '@/lib/links';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { DeskSection } from '../../_components/desk-section';
import { DeskLog } from '../../_components/desk-log';
import { deskMetadata, requireEditor } from '../../require-editor';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return deskMetadata('History', 'Who changed an article, and when.', `/desk/history/${slug}`);
}

export default async function HistoryPage({ params }: Props) {
  const { slug } = await params;
  return renderOrUnavailable(
    () => renderHistory(slug),
    () => <Unavailable retry={`/desk/history/${encodeURIComponent(slug)}`} />,
  );
}

async function renderHistory(slug: string) {
  await requireEditor(`/desk/history/${slug}`);
  const history = isSlug(slug) ? await getEntryHistory(slug) : null;
  if (!history) notFound();
  return (
    <div className="desk">
      <p className="desk-back">
        <Link href="/desk">Desk</Link>
      </p>
      <h1 className="page-title">History</h1>
      <p className="meta">
        <code>{history.file}</code> · <Link href={`/desk/edit/${slug}`}>Edit</Link>
      </p>
      <DeskSection id="history-commits" title="Commits">
        {history.commits.length === 0 ? (
          <p>No commits: the content folder is not a git repository, or the file has none yet.</p>
        ) : (
          <ol className="desk-log">
            {history.commits.map((c) => (
              <li key={c.commit}>
                <bdi>{c.author}</bdi> · <LocalTime iso={c.at} /> · {c.message}{' '}
                <code title={c.commit}>{c.commit.slice(0, 8)}</code>
              </li>
            ))}
          </ol>
        )}
      </DeskSection>
      <DeskSection id="history-log" title="Desk log">
        <DeskLog log={history.log} />
      </DeskSection>
    </div>
  );
}
