import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { LocalTime } from '@/components/local-time';
import { getViewer } from '@/lib/auth/session';
import { getArticleTitles } from '@/lib/content/queries';
import { getNotificationsFor } from '@/lib/notifications/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { MarkRead } from './_components/mark-read';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = pageMetadata({
  title: 'Notifications',
  description: 'Replies to you, and news in the topics you follow.',
  path: '/notifications',
  noindex: true,
});

export default async function NotificationsPage() {
  return renderOrUnavailable(
    () => renderNotifications(),
    () => <Unavailable retry="/notifications" />,
  );
}

async function renderNotifications() {
  const viewer = await getViewer();
  if (!viewer) redirect('/signin?callbackUrl=%2Fnotifications');
  const { items, unread } = await getNotificationsFor(viewer.id);
  const titles = await getArticleTitles(items.map((n) => n.article));
  return (
    <div className="notifications">
      <h1 className="page-title">Notifications</h1>
      <p>
        {unread === 0 ? 'You are all caught up.' : `${unread} unread.`} {unread > 0 && <MarkRead />}
      </p>
      {items.length === 0 ? (
        <p>
          When someone replies to you, or news lands in a topic you follow, you will see it here. Choose what
          you hear about per topic on <Link href="/following">Following</Link>.
        </p>
      ) : (
        <ol className="notification-list">
          {items.map((n) => (
            <li key={n.id} className={n.read ? 'read' : 'unread'}>
              {!n.read && <span className="visually-hidden">Unread: </span>}
              <Link href={`/articles/${n.article}${n.replyId ? `#reply-${n.replyId}` : ''}`}>
                {/* Readers' names are isolated: a right-to-left override in one can't reorder the sentence. */}
                {n.kind === 'reply' ? (
                  <>
                    <bdi>{n.actorName ?? 'Someone'}</bdi> replied to you on “
                    {titles.get(n.article) ?? n.article}”
                  </>
                ) : (
                  `${n.kind === 'key_event' ? 'Key event' : 'New'} in a topic you follow: ${titles.get(n.article) ?? n.article}`
                )}
              </Link>{' '}
              <span className="meta">
                <LocalTime iso={n.createdAt} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
