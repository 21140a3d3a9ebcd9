import { QueryClient } from '@tanstack/react-query';

function makeQueryClient() {
  // Data stays until a live event says otherwise (lib/query/live.ts); queries that want more set it.
  return new QueryClient({
    defaultOptions: { queries: { staleTime: Infinity, retry: 2, refetchOnWindowFocus: false } },
  });
}

let browserClient: QueryClient | undefined;

/**
 * A fresh client per server render (nothing leaks between readers), one per browser tab: every
 * island of a page, and every page of a visit, reads and refreshes the same cache.
 */
export function getQueryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
