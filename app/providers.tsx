'use client';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ComponentType, ReactNode } from 'react';
import { getQueryClient } from '@/lib/query/client';

/**
 * The provider of the tab's one QueryClient. Each client island renders it at its root instead of
 * the root layout: there it would put react-query into every page's first load, also pages that
 * fetch nothing until after hydration (docs/decisions/013). Same client, so one cache for all.
 */
export function Providers({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>;
}

/** `Island` under the provider: how every client island that reads reader data is exported. */
export function withProviders<P extends object>(Island: ComponentType<P>) {
  const Provided = (props: P) => (
    <Providers>
      <Island {...props} />
    </Providers>
  );
  Provided.displayName = `withProviders(${Island.displayName ?? Island.name})`;
  return Provided;
}
