import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { LocalTime } from '@/components/local-time';
import { canModerate } from '@/lib/auth/permissions';
import { getViewer } from '@/lib/auth/session';
import { log } from '@/lib/log';
import { getModerationOverview, type QueueItem } from '@/lib/replies/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { ModerationControls } from './_components/moderation-controls';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = pageMetadata({
  title: 'Moderation',
  description: 'Replies waiting for a moderator.',
  path: '/moderation',
  noindex: true,
});

export default async function ModerationPage() {
  return renderOrUnavailable(
    () => renderModeration(),
    () => <Unavailable retry="/moderation" />,
  );
}

async function renderModeration() {
  const viewer = await getViewer();
  if (!viewer) redirect('/signin?callbackUrl=%2Fmoderation');
  // Checked here, on the server, for every request; readers get the same 404 as for a missing page.
  if (!canModerate(viewer.role)) {
    log.warn('authz', `moderation page refused for user ${viewer.id}`);
    notFound();
  }
  const { queues, audit } = await getModerationOverview();
  return (
    <div className="moderation">
      <h1 className="page-title">Moderation</h1>
      <Queue
        title="Awaiting approval"
        items={queues.pending}
        actions={['approve', 'remove']}
        empty="Nothing is waiting."
      />
      <Queue
        title="Reported"
        items={queues.reported}
        actions={['hide', 'remove', 'dismiss']}
        empty="No open reports."
      />
      <Queue
        title="Hidden"
        items={queues.hidden}
        actions={['restore', 'remove']}
        empty="Nothing is hidden."
      />
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">Moderation log</h2>
        {audit.length === 0 ? (
          <p>No moderation yet.</p>
        ) : (
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <LocalTime iso={entry.at} />
                  </td>
                  <td>
                    <bdi>{entry.actor}</bdi>
                  </td>
                  <td>
                    {entry.action} reply <code>{entry.replyId.slice(0, 8)}</code>
                  </td>
                  <td>{entry.reason || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function Queue({
  title,
  items,
  actions,
  empty,
}: {
  title: string;
  items: QueueItem[];
  actions: ('approve' | 'hide' | 'restore' | 'remove' | 'dismiss')[];
  empty: string;
}) {
  const id = `queue-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="queue">
      <h2 id={id}>
        {title} ({items.length})
      </h2>
      {items.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ol className="queue-list">
          {items.map((item) => (
            <li key={item.id}>
              <article className="queue-item" aria-label={`Reply by ${item.authorName}`}>
                <p className="meta">
                  <strong>
                    <bdi>{item.authorName}</bdi>
                  </strong>{' '}
                  on <Link href={`/articles/${item.article}`}>{item.article}</Link> ·{' '}
                  <LocalTime iso={item.createdAt} />
                </p>
                {/* The reader's words as plain text: React escapes them. */}
                <blockquote className="queue-body">{item.body}</blockquote>
                {item.reports.length > 0 && (
                  <ul className="reports" aria-label="Reports">
                    {item.reports.map((r, i) => (
                      <li key={i}>{r.reason}</li>
                    ))}
                  </ul>
                )}
                <ModerationControls id={item.id} actions={actions} />
              </article>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
