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
}
