import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FollowButton } from '@/app/islands';
import { JsonLd } from '@/components/json-ld';
import { LocalTime } from '@/components/local-time';
import { Figure } from '@/components/mdx/figure';
import { Correction } from '@/components/stream-item';
import { MdxBody } from '@/components/mdx/mdx-body';
import { getArticle } from '@/lib/content/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { newsArticleLd } from '@/lib/seo/structured-data';
import { ArticleLive, RepliesIsland } from './_components/islands';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export const dynamicParams = true;
export const generateStaticParams = async () => [];

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const view = await getArticle((await params).slug);
  if (!view) return {};
  const { article, authors, topics } = view;
  return pageMetadata({
    title: article.title,
    description: article.summary,
    path: `/articles/${article.slug}`,
    type: 'article',
    image: article.image,
    publishedTime: article.publishedAt,
    modifiedTime: article.updatedAt ?? undefined,
    authors: authors.map((a) => a.name),
    topicFeed: topics[0] && { slug: topics[0].slug, title: topics[0].title },
  });
}

export default async function ArticlePage({ params }: Props) {
  const view = await getArticle((await params).slug);
  if (!view) notFound();
  const { article, authors, topics } = view;
  return (
    <article className="article">
      <JsonLd data={newsArticleLd(article, authors)} />
      <ArticleLive slug={article.slug} version={article.version} />
      <header className="article-header">
        <p className="meta">
          {topics.map((t, i) => (
            <span key={t.slug}>
              {i > 0 && ' · '}
              <Link href={`/topics/${t.slug}`}>{t.title}</Link>
            </span>
          ))}
        </p>
        <h1>{article.title}</h1>
        <p className="lede">{article.summary}</p>
        <div className="byline meta">
          {authors.length > 0 && (
            <span>
              By{' '}
              {authors.map((a, i) => (
                <span key={a.slug}>
                  {i > 0 && (i === authors.length - 1 ? ' and ' : ', ')}
                  <Link href={`/authors/${a.slug}`} rel="author">
                    {a.name}
                  </Link>
                </span>
              ))}
            </span>
          )}
          <span>
            <LocalTime iso={article.publishedAt} />
          </span>
          {article.updatedAt && (
            <span>
              <LocalTime iso={article.updatedAt} prefix="Updated " />
            </span>
          )}
          <span>{article.readingMinutes} min read</span>
        </div>
      </header>
      {article.image && (
        <Figure
          src={article.image.src}
          alt={article.image.alt}
          caption={article.image.caption}
          credit={article.image.credit}
          priority
        />
      )}
      {article.correction && <Correction text={article.correction} />}
      <MdxBody html={article.body} />
      <footer>
        <h2 className="visually-hidden">Topics</h2>
        <ul className="topic-links">
          {topics.map((t) => (
            <li key={t.slug}>
              <Link href={`/topics/${t.slug}`}>More on {t.title}</Link>{' '}
              <FollowButton topic={t.slug} title={t.title} />
            </li>
          ))}
        </ul>
      </footer>
      <RepliesIsland slug={article.slug} />
    </article>
  );
}
