import type { Metadata } from 'next';
import Link from 'next/link';
import { ArticleCard } from '@/components/article-card';
import { LiveBadge } from '@/components/live-badge';
import { KeyEvents } from '@/components/key-events';
import { getFrontPage } from '@/lib/content/queries';
import { config } from '@/lib/env';
import { pageMetadata } from '@/lib/seo/metadata';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export const metadata: Metadata = pageMetadata({
  title: `${config.SITE_NAME}: live news`,
  description: 'Live coverage, latest reporting and key events.',
  path: '/',
});

export default async function FrontPage() {
  const { live, latest, keyEvents } = await getFrontPage();
  return (
    <>
      <h1 className="visually-hidden">{config.SITE_NAME}</h1>
      {live.map(({ topic, latest: updates }) => (
        <section key={topic.slug} aria-labelledby={`live-${topic.slug}`}>
          <h2 id={`live-${topic.slug}`} className="section-title">
            <LiveBadge /> <Link href={`/topics/${topic.slug}`}>{topic.title}</Link>
          </h2>
          <p>{topic.description}</p>
          <ul className="cards three">
            {updates.map((a) => (
              <li key={a.slug}>
                <ArticleCard article={a} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <div className="front">
        <section aria-labelledby="latest">
          <h2 id="latest" className="section-title">
            Latest
          </h2>
          <ul className="cards">
            {latest.map((a, i) => (
              <li key={a.slug}>
                <ArticleCard article={a} showImage={i < 2} />
              </li>
            ))}
          </ul>
        </section>
        <KeyEvents events={keyEvents} />
      </div>
    </>
  );
}
