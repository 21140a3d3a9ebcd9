'use client';
import dynamic from 'next/dynamic';
import { useSyncExternalStore } from 'react';

// Shared client islands that hold reader data (react-query). They show nothing of use until their
// data arrives, so their code is not in the page's first load: it is fetched once the page has
// hydrated, in parallel with nothing else on the critical path (docs/decisions/013). Until then, and
// in the server's HTML, a placeholder of the same size takes their place. Each island runs under
// the tab's one QueryClient (app/providers.tsx).

const noSubscription = () => () => {};

/** False on the server and while hydrating, true after: when islands start loading. */
export function useHydrated() {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

const MenuPlaceholder = () => <span className="account-menu" aria-hidden="true" />;
const LazyAccountMenu = dynamic(
  () =>
    // The provider comes with the island, not before it: react-query is in neither's first load.
    Promise.all([import('@/components/account-menu'), import('./providers')]).then(
      ([{ AccountMenu }, { withProviders }]) => withProviders(AccountMenu),
    ),
  { ssr: false, loading: MenuPlaceholder },
);

/** Sign in, or the reader's Following count, bell and Sign out (components/account-menu.tsx). */
export function AccountMenu() {
  return useHydrated() ? <LazyAccountMenu /> : <MenuPlaceholder />;
}

type FollowProps = { topic: string; title: string };

/** Disabled until the reader's follows are known, as the real one is while they load. */
const FollowPlaceholder = () => (
  <span className="follow">
    <button type="button" className="button follow-button" aria-pressed="false" disabled>
      <span aria-hidden="true">+</span>
      Follow
    </button>
  </span>
);
const LazyFollowButton = dynamic(
  () =>
    Promise.all([import('@/components/follow-button'), import('./providers')]).then(
      ([{ FollowButton }, { withProviders }]) => withProviders(FollowButton),
    ),
  { ssr: false, loading: FollowPlaceholder },
);

/** The Follow toggle (components/follow-button.tsx). */
export function FollowButton(props: FollowProps) {
  return useHydrated() ? <LazyFollowButton {...props} /> : <FollowPlaceholder />;
}
