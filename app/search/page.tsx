import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/components/local-time';
import { searchArticles } from '@/lib/content/queries';
import { pageMetadata } from '@/lib/seo/metadata';

type Props = { searchParams: Promise<{ q?: string | string[] }> };

const queryOf = (q: string | string[] | undefined) =>
  (Array.isArray(q) ? q[0] : q)?.slice(0, 200).trim() ?? '';

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const q = queryOf((await searchParams).q);
  return pageMetadata({
    title: q ? `Search: ${q}` : 'Search',
    description: 'Search every article and update.',
    path: '/search',
    noindex: true,
  });
}

export default async function SearchPage({ searchParams }: Props) {
  const q = queryOf((await searchParams).q);
  const results = q ? await searchArticles(q) : [];
  return (
    <>
      <h1 className="page-title">Search</h1>
      <form className="search-form" role="search" action="/search">
        <label htmlFor="q" className="visually-hidden">
          Search articles
        </label>
        <input id="q" name="q" type="search" defaultValue={q} maxLength={200} placeholder="Search articles" />
        <button className="button" type="submit">
          Search
        </button>
      </form>
      {q && (
        <p role="status">
          {results.length === 0
            ? `No results for “${q}”.`
            : `${results.length}${results.length === 50 ? '+' : ''} result${results.length === 1 ? '' : 's'} for “${q}”.`}
        </p>
      )}
      {results.length > 0 && (
        <ol className="results">
          {results.map(({ article, snippet }) => (
            <li key={article.slug}>
              <h2>
                <Link href={`/articles/${article.slug}`}>{article.title}</Link>
              </h2>
              <p>
                {snippet.map((part, i) =>
                  part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                )}
              </p>
              <p className="meta">
                <LocalTime iso={article.publishedAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
