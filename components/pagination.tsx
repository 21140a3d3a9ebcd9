import Link from 'next/link';

/** Older/newer links; page 1 lives at `base`, page n at `${base}/page/n`. */
export function Pagination({ base, page, pages }: { base: string; page: number; pages: number }) {
  if (pages <= 1) return null;
  const href = (n: number) => (n === 1 ? base : `${base}/page/${n}`);
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 ? (
        <Link className="button" href={href(page - 1)} rel="prev">
          Newer
        </Link>
      ) : (
        <span />
      )}
      <span className="meta" aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link className="button" href={href(page + 1)} rel="next">
          Older
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
