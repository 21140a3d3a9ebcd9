/**
 * What a page that needs the database shows while it can't be reached (lib/http/page.ts): the
 * page's own address to try again, nothing of the error itself (SECURITY P22).
 */
export function Unavailable({ retry }: { retry: string }) {
  return (
    <>
      <h1 className="page-title">Temporarily unavailable</h1>
      <p role="status">
        This page can’t be shown right now because of a problem on our side. Nothing you saved is lost. Please
        try again in a minute.
      </p>
      <p>
        <a className="button" href={retry}>
          Try again
        </a>
      </p>
    </>
  );
}
