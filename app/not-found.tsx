import Link from 'next/link';

export default function NotFound() {
  return (
    <>
      <h1 className="page-title">Page not found</h1>
      <p>There is nothing at this address. It may have been moved, or it has not been published yet.</p>
      <p>
        <Link href="/">Go to the front page</Link> or <Link href="/search">search</Link>.
      </p>
    </>
  );
}
