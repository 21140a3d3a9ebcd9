import { getContentStore } from './content/instance';
import { getDb } from './db/client';
import { notifyFollowersOfNewContent } from './follows/on-content';
import { config } from './env'; // throws one line naming a bad variable
import { getLiveBus } from './live/instance';
import { closeAllStreams } from './live/sse';
import { log } from './log';
import { installClientAddressHook } from './net/client-address';
import { vapidKeys } from './push/vapid';

/**
 * Boots the server process once (from instrumentation.ts, Node runtime only): database migrated,
 * content loaded and watched, graceful shutdown armed.
 */
export async function boot() {
  // First: from here on every limit and log line sees the socket's client, not a header (TRUST_PROXY).
  installClientAddressHook(config.TRUST_PROXY);
  // A database that is down at boot is not fatal: pages keep serving, /api/health says 503, and
  // the next request that needs the database tries again.
  vapidKeys(); // generated into ./data on first start; a half-set pair stops the server here
  getLiveBus(); // with Redis, start reading other instances' events before the first reader connects
  await Promise.all([
    getContentStore().then(notifyFollowersOfNewContent),
    getDb().catch(() => log.warn('db', 'not available at start; will retry on use')),
  ]);

  // SIGTERM: Next stops accepting connections and waits for open ones, which live streams never
  // are; so end them with a final event, and exit anyway after a deadline (SECURITY P28).
  process.once('SIGTERM', () => {
    log.info('server', 'SIGTERM: closing live streams and draining');
    closeAllStreams();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
