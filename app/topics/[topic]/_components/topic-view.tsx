import Link from 'next/link';
import { ArticleCard, StoryBadges } from '@/components/article-card';
import { JsonLd } from '@/components/json-ld';
import { KeyEvents } from '@/components/key-events';
import { LiveBadge } from '@/components/live-badge';
import { LocalTime } from '@/components/local-time';
import { MdxBody } from '@/components/mdx/mdx-body';
import { Pagination } from '@/components/pagination';
import type { Article } from '@/lib/content/model';
import type { TopicStream } from '@/lib/content/queries';
import { liveBlogLd } from '@/lib/seo/structured-data';

/** A live-blog entry: an update shown in full, with a link to its own page. */
function UpdateItem({ article }: { article: Article }) {
  return (
    <article
      className={`update${article.pinned ? ' pinned' : ''}${article.keyEvent ? ' key' : ''}`}
      id={`u-${article.slug}`}
    >
      <StoryBadges article={article} />
      <p className="meta">
        <Link href={`/articles/${article.slug}`}>
          <LocalTime iso={article.publishedAt} />
        </Link>
        {article.updatedAt && (
          <>
            {' · '}
            <LocalTime iso={article.updatedAt} prefix="Updated " />
          </>
        )}
      </p>
      <h2>{article.title}</h2>
      <MdxBody html={article.body} />
    </article>
  );
}

export function TopicView({ data }: { data: TopicStream }) {
  const { topic, stream, keyEvents } = data;
  return (
    <>
      {topic.live && <JsonLd data={liveBlogLd(topic, stream.items, data.startedAt)} />}
      <header>
        {topic.live && <LiveBadge />}
        <h1 className="page-title">{topic.title}</h1>
        <p className="lede">{topic.description}</p>
        {topic.intro && stream.page === 1 && <MdxBody html={topic.intro} />}
      </header>
      {stream.page === 1 && <KeyEvents events={keyEvents} />}
      <section aria-labelledby="latest">
        <h2 id="latest" className="section-title">
          {topic.live ? 'Live updates' : 'Latest'}
        </h2>
        {stream.items.length === 0 ? (
          <p>Nothing has been published here yet.</p>
        ) : (
          <ol className="stream">
            {stream.items.map((a) => (
              <li key={a.slug}>
                {a.kind === 'update' ? <UpdateItem article={a} /> : <ArticleCard article={a} />}
              </li>
            ))}
          </ol>
        )}
      </section>
      <Pagination base={`/topics/${topic.slug}`} page={stream.page} pages={stream.pages} />
    </>
  );
}
