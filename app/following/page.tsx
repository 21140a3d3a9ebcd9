import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { FollowButton } from '@/app/islands';
import { getViewer } from '@/lib/auth/session';
import { listTopics } from '@/lib/content/queries';
import { getFollowing } from '@/lib/follows/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { FollowingStream } from './_components/following-stream';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = pageMetadata({
  title: 'Following',
  description: 'What is new in the topics you follow.',
  path: '/following',
  noindex: true,
});

type Props = { searchParams: Promise<{ topic?: string; page?: string }> };

export default async function FollowingPage(props: Props) {
  return renderOrUnavailable(
    () => renderFollowing(props),
    () => <Unavailable retry="/following" />,
  );
}

async function renderFollowing({ searchParams }: Props) {
  const viewer = await getViewer();
  if (!viewer) redirect('/signin?callbackUrl=%2Ffollowing');
  const params = await searchParams;
  const page = /^[1-9][0-9]{0,4}$/.test(params.page ?? '') ? Number(params.page) : 1;
  const topic = typeof params.topic === 'string' ? params.topic : null;
  const data = await getFollowing(viewer.id, { topic, page });

  if (data.topics.length === 0) {
    const suggestions = (await listTopics()).slice(0, 6);
    return (
      <>
        <h1 className="page-title">Following</h1>
        <p>
          You don’t follow any topics yet. Follow a few and what’s new in them gathers here, on every device
          you use.
        </p>
        <h2>Topics to follow</h2>
        <ul className="cards">
          {suggestions.map(({ topic: t }) => (
            <li key={t.slug}>
              <article className="card">
                <h3>
                  <Link href={`/topics/${t.slug}`}>{t.title}</Link>
                </h3>
                <p>{t.description}</p>
                <FollowButton topic={t.slug} title={t.title} />
              </article>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <>
      <h1 className="page-title">Following</h1>
      {/* Keyed by the filter: another topic is another stream. */}
      <FollowingStream key={`${data.topic}-${data.page}`} initial={data} />
      <p className="meta">
        Read these in a feed reader with your private feed address, on{' '}
        <Link href="/account#feeds">your account page</Link>.
      </p>
    </>
  );
}
