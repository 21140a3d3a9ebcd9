import Link from 'next/link';
import type { Article } from '@/lib/content/model';
import { LocalTime } from './local-time';

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
      <StoryBadges article={article} />
      <Heading>
        <Link href={`/articles/${article.slug}`}>{article.title}</Link>
      </Heading>
      <p>{article.summary}</p>
      <p className="meta">
        <LocalTime iso={article.publishedAt} />
      </p>
    </article>
  );
}

export function StoryBadges({ article }: { article: Article }) {
  const badges = [
    article.pinned && 'Pinned',
    article.keyEvent && 'Key event',
    article.kind === 'update' && 'Update',
    article.draft && 'Draft',
  ].filter(Boolean) as string[];
  if (badges.length === 0) return null;
  return (
    <ul className="badges" aria-label="Labels">
      {badges.map((b) => (
        <li key={b} className="badge">
          {b}
        </li>
      ))}
    </ul>
  );
}
