'use client';
import { useQuery } from '@tanstack/react-query';
import { canEdit, canModerate } from '@/lib/auth/permissions';
import { followSummaryQuery, sessionQuery, unreadNotificationsQuery } from '@/lib/query/resources';

/**
 * Sign in / Sign out in the header. Pages are cached and shared, so the header asks for the
 * session from the browser instead of the server rendering it (docs/decisions/003). Its counts
 * are queries of the tab's cache: live events on this page refresh them (lib/query/live.ts), the
 * "Following" count also every minute, the bell also when the tab comes back.
 */
export function AccountMenu() {
  const session = useQuery(sessionQuery());
  const user = session.isPending ? undefined : (session.data ?? null);
  const signedIn = Boolean(user);
  const follows = useQuery({ ...followSummaryQuery(), enabled: signedIn }).data;
  const unread = useQuery({ ...unreadNotificationsQuery(), enabled: signedIn }).data ?? 0;

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
      <a href="/following" aria-label={follows?.unread ? `Following, ${follows.unread} unread` : 'Following'}>
        Following
        {follows?.unread ? (
          <span className="bell-count">{follows.unread > 99 ? '99+' : follows.unread}</span>
        ) : null}
      </a>
      <a
        href="/notifications"
        className="bell"
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
      >
        <svg
          aria-hidden="true"
          width="20"
          height="20"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && <span className="bell-count">{unread > 99 ? '99+' : unread}</span>}
      </a>
      {canModerate(user.role) && <a href="/moderation">Moderation</a>}
      {canEdit(user.role) && <a href="/desk">Desk</a>}
      <a href="/account">
        <bdi>{user.name}</bdi>
      </a>
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
