import type { Metadata } from 'next';
import Link from 'next/link';
import { FollowButton } from '@/app/islands';
import { LiveBadge } from '@/components/live-badge';
import { LocalTime } from '@/components/local-time';
import { listTopics } from '@/lib/content/queries';
import { pageMetadata } from '@/lib/seo/metadata';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export const metadata: Metadata = pageMetadata({
  title: 'Topics',
  description: 'Every topic we cover, live coverage first.',
  path: '/topics',
});

export default async function TopicsPage() {
  const topics = await listTopics();
  return (
    <>
      <h1 className="page-title">Topics</h1>
      <ul className="cards">
        {topics.map(({ topic, count, lastPublishedAt }) => (
          <li key={topic.slug}>
            <article className="card">
              {topic.live && <LiveBadge />}
              <h2>
                <Link href={`/topics/${topic.slug}`}>{topic.title}</Link>
              </h2>
              <p>{topic.description}</p>
              <FollowButton topic={topic.slug} title={topic.title} />
              <p className="meta">
                {count} {count === 1 ? 'story' : 'stories'}
                {lastPublishedAt && (
                  <>
                    {' · latest '}
                    <LocalTime iso={lastPublishedAt} />
                  </>
                )}
              </p>
            </article>
          </li>
        ))}
      </ul>
    </>
  );
}
