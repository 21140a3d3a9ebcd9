'use client';
import { useEffect, useState } from 'react';
import { canModerate } from '@/lib/auth/permissions';
import { refreshFollows, useFollows } from '@/lib/follows/follow-store';
import { LIVE_EVENT } from '@/lib/live/use-live-events';

type SessionUser = { name: string; role?: string } | null;

/**
 * Sign in / Sign out in the header. Pages are cached and shared, so the header asks for the
 * session from the browser instead of the server rendering it (docs/decisions/003).
 */
export function AccountMenu() {
  const [user, setUser] = useState<SessionUser | undefined>(undefined);
  const [unread, setUnread] = useState(0);
  const follows = useFollows();

  useEffect(() => {
    let live = true;
    fetch('/api/auth/session', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : {}))
      .then(
        (s: { user?: { name?: string; role?: string } }) =>
          live && setUser(s.user?.name ? { name: s.user.name, role: s.user.role } : null),
      )
      .catch(() => live && setUser(null));
    return () => {
      live = false;
    };
  }, []);

  // The bell's count: on sign-in, when the tab comes back, and when the notifications page reads them.
  useEffect(() => {
    if (!user) return;
    const refresh = () =>
      fetch('/api/notifications', { cache: 'no-store' })
        .then((r) => (r.ok ? (r.json() as Promise<{ unread: number }>) : { unread: 0 }))
        .then((d) => setUnread(d.unread))
        .catch(() => undefined);
    void refresh();
    const onVisible = () => document.visibilityState === 'visible' && void refresh();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('dispatch:notifications-read', refresh);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('dispatch:notifications-read', refresh);
    };
  }, [user]);

  // "Following (N)": refreshed when news lands on this page's live stream, and every minute.
  useEffect(() => {
    if (!user) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = (event: Event) => {
      const type = (event as CustomEvent<{ type: string }>).detail?.type ?? '';
      if (!type.startsWith('content.')) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refreshFollows(), 500);
    };
    window.addEventListener(LIVE_EVENT, soon);
    const every = setInterval(() => document.visibilityState === 'visible' && void refreshFollows(), 60_000);
    return () => {
      window.removeEventListener(LIVE_EVENT, soon);
      clearInterval(every);
      clearTimeout(timer);
    };
  }, [user]);

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
