'use client';
import { useEffect, useState } from 'react';

type SessionUser = { name: string } | null;

/**
 * Sign in / Sign out in the header. Pages are cached and shared, so the header asks for the
 * session from the browser instead of the server rendering it (docs/decisions/003).
 */
export function AccountMenu() {
  const [user, setUser] = useState<SessionUser | undefined>(undefined);

  useEffect(() => {
    let live = true;
    fetch('/api/auth/session', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : {}))
      .then((s: { user?: { name?: string } }) => live && setUser(s.user?.name ? { name: s.user.name } : null))
      .catch(() => live && setUser(null));
    return () => {
      live = false;
    };
  }, []);

  if (user === undefined) return <span className="account-menu" aria-hidden="true" />;
  if (!user) {
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    return (
      <a className="account-menu button" href={`/signin?callbackUrl=${back}`}>
        Sign in
      </a>
    );
  }
  return (
    <span className="account-menu">
      <a href="/account">{user.name}</a>
      <form method="post" action="/api/auth/signout" onSubmit={signOut}>
        <button className="button" type="submit">
          Sign out
        </button>
      </form>
    </span>
  );
}

// next-auth's sign-out needs its CSRF token in the POST body.
async function signOut(event: React.FormEvent<HTMLFormElement>) {
  event.preventDefault();
  const { csrfToken } = (await (await fetch('/api/auth/csrf', { cache: 'no-store' })).json()) as {
    csrfToken: string;
  };
  await fetch('/api/auth/signout', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/', json: 'true' }),
  });
  // A full load: cached pages fetch the (now absent) session afresh.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign('/');
}
