import { ArticleCard } from '@/components/article-card';
import { MdxBody } from '@/components/mdx/mdx-body';
import { Pagination } from '@/components/pagination';
import type { AuthorPage } from '@/lib/content/queries';

export function AuthorView({ data }: { data: AuthorPage }) {
  const { author, articles } = data;
  return (
    <>
      <header className="author-card">
        {author.avatar && (
          // eslint-disable-next-line @next/next/no-img-element -- local SVG avatar
          <img src={author.avatar} alt="" width={64} height={64} />
        )}
        <div>
          <h1 className="page-title">{author.name}</h1>
          {author.role && <p className="meta">{author.role}</p>}
        </div>
      </header>
      {author.bio && articles.page === 1 && <MdxBody html={author.bio} />}
      <h2 className="section-title">Stories</h2>
      {articles.items.length === 0 ? (
        <p>No stories yet.</p>
      ) : (
        <ul className="cards">
          {articles.items.map((a) => (
            <li key={a.slug}>
              <ArticleCard article={a} />
            </li>
          ))}
        </ul>
      )}
      <Pagination base={`/authors/${author.slug}`} page={articles.page} pages={articles.pages} />
    </>
  );
}
