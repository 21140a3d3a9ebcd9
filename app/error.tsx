'use client';

// Shown for unexpected errors. It never shows the error itself: the server logged it, the reader
// gets a generic message and a way on (SECURITY P22).
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <h1 className="page-title">Something went wrong</h1>
      <p>Sorry, this page could not be shown. Please try again in a moment.</p>
      <button className="button" type="button" onClick={reset}>
        Try again
      </button>
    </>
  );
}
