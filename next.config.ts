import type { NextConfig } from 'next';
import { securityHeaders } from './lib/security-headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  agentRules: false, // keep `next dev` from writing AGENTS.md (TOOLCHAIN G15)
  // Pages are cached in memory until the content store changes: see docs/decisions/003-page-cache.md.
  cacheHandler: require.resolve('./lib/cache/page-cache-handler.cjs'),
  cacheMaxMemorySize: 0, // the handler above is the only cache; Next's own LRU would serve stale pages
  // One copy of prom-client for the process: the page cache handler (loaded outside the bundles)
  // and every bundle count into the same registry (lib/metrics/registry.cjs). pino is external
  // already (Next's own list).
  serverExternalPackages: ['prom-client'],
  images: { unoptimized: true }, // never run the optimizer on remote images (SECURITY a); uploads are pre-sized (lib/media)
  experimental: {
    // The client router may reuse a visited page for 30 s (the minimum), not the default 5 minutes.
    staleTimes: { dynamic: 0, static: 30 },
  },
  async headers() {
    const headers = securityHeaders();
    return [
      { source: '/:path((?!api/live$).*)', headers },
      // An event stream on /api/live sets the same headers itself (pages/api/live.ts): Next compiles
      // a header value containing ':' (the CSP) afresh on every request, garbage that a burst of
      // thousands of connecting streams promotes to the old heap, and each open stream would keep
      // its own copy of the CSP. Anything else on that path (in any case: routes match
      // case-insensitively) still gets them here.
      {
        source: '/api/live',
        missing: [{ type: 'header', key: 'accept', value: 'text/event-stream' }],
        headers,
      },
    ];
  },
};

export default nextConfig;
