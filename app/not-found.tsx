import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = {
  title: 'Page not found',
  description: 'There is nothing at this address.',
  robots: { index: false, follow: true },
};

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
