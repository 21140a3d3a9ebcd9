import type { KnipConfig } from 'knip';

// Unused files, exports, types and dependencies (`npm run lint`). Knip's plugins find most entry
// points on their own: Next (app/, pages/, instrumentation.ts, proxy.ts, next.config.ts), Vitest
// (tests, lib/testing/setup.ts), Playwright (e2e/, e2e/serve.mjs), ESLint, and every file that a
// package.json script runs (scripts/ci/*, scripts/bench/*, scripts/*.ts, scripts/start.mjs). Listed
// here are only the files loaded by path, which no import or script names.
const config: KnipConfig = {
  entry: [
    'scripts/bench/live-client.ts', // forked by scripts/bench/live.ts
    'lib/cache/page-cache-handler.cjs', // next.config.ts: cacheHandler: require.resolve(…)
    'lib/testing/reply-writer.ts', // spawned by lib/replies/durability.test.ts
    'lib/testing/server-only-stub.ts', // vitest.config.mts aliases 'server-only' to it
    // Kysely's Migrator calls up() and down() on each module lib/db/migrate.ts imports as a namespace.
    'lib/db/migrations/*.ts',
    // Types TypeScript reads for the .cjs beside them; knip resolves the import to the .cjs itself.
    'lib/**/*.d.cts',
    'public/*.js', // served as they are: the service worker and the theme script
    // Editors' MDX, read by the content store at run time. It can't import anything (SPEC §2), but
    // knip reads .mdx (remark-mdx is a dependency), so it is an entry rather than an unused file.
    'content/**/*.mdx',
  ],
  playwright: { config: ['playwright.config.ts', 'playwright.multi.config.ts'] },
  // System programs from Debian packages, not npm packages: redis-cli and redis-server (redis-tools,
  // redis-server; the multi-instance suite), ss (iproute2; the benchmarks find the server's pid),
  // mkfifo (coreutils; a content-loader test).
  ignoreBinaries: ['redis-server', 'ss', 'mkfifo'],
};

export default config;
