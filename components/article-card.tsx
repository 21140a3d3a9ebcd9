import Link from 'next/link';
import type { Article } from '@/lib/content/model';
import { LocalTime } from './local-time';
import { ReplyCount } from './reply-count';
import { Labels } from './stream-item';

/** A story in a list: headline, summary, time. `headingLevel` keeps the outline right per page. */
export function ArticleCard({
  article,
  headingLevel = 3,
  showImage = false,
}: {
  article: Article;
  headingLevel?: 2 | 3;
  showImage?: boolean;
}) {
  const Heading = `h${headingLevel}` as const;
  return (
    <article className="card">
      {showImage && article.image && (
        // eslint-disable-next-line @next/next/no-img-element -- local SVGs, see components/mdx/figure.tsx
        <img src={article.image.src} alt="" width={1200} height={675} loading="lazy" decoding="async" />
      )}
      <Labels item={article} />
      <Heading>
        <Link href={`/articles/${article.slug}`}>{article.title}</Link>
      </Heading>
      <p>{article.summary}</p>
      <p className="meta">
        <LocalTime iso={article.publishedAt} />
        <ReplyCount slug={article.slug} />
      </p>
    </article>
  );
}
