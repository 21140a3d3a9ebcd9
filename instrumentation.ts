/** Boots the process once: configuration checked, database migrated, content loaded. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  await import('./lib/env'); // throws one line naming a bad variable
  const [{ getContentStore }, { getDb }, { log }] = await Promise.all([
    import('./lib/content/instance'),
    import('./lib/db/client'),
    import('./lib/log'),
  ]);
  // A database that is down at boot is not fatal: pages keep serving, /api/health says 503, and
  // the next request that needs the database tries again.
  await Promise.all([
    getContentStore(),
    getDb().catch(() => log.warn('db', 'not available at start; will retry on use')),
  ]);

  // SIGTERM: Next stops accepting connections and waits for open ones, which live streams never
  // are; so end them with a final event, and exit anyway after a deadline (SECURITY P28).
  const { closeAllStreams } = await import('./lib/live/sse');
  process.once('SIGTERM', () => {
    log.info('server', 'SIGTERM: closing live streams and draining');
    closeAllStreams();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
