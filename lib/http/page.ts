import 'server-only';
import { isDatabaseUnavailable, noteOutage } from '../db/storage';

/**
 * Renders a page that needs the database (the signed-in reader's pages, the desk, moderation).
 * While the database can't serve it, the outage is counted (one log line per kind a minute,
 * lib/db/storage.ts) and the page shows `unavailable()` — a "try again" notice — instead of the
 * error page and a stack trace per request. Next's redirect() and notFound(), and any other error,
 * pass through.
 *
 * The notice is sent with status 200: an App Router page can choose only 404, 403 and 401 besides
 * a redirect, and a page that throws gets 500 with Next logging the stack. Routes answer 503.
 */
export async function renderOrUnavailable<T>(render: () => Promise<T>, unavailable: () => T): Promise<T> {
  try {
    return await render();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    noteOutage(error);
    return unavailable();
  }
}
