import type Redis from 'ioredis';
import { sessionCookieName } from './auth/cookies';
import { contentChangedAt, markContentChanged } from './cache/generation.cjs';
import { ResponseCache } from './cache/response-cache';
import { ContentStore, type ContentChange } from './content/store';
import { openDatabase, type Db } from './db/client';
import { isDatabaseUnavailable } from './db/storage';
import { DeskFiles } from './desk/files';
import { config, isProduction } from './env';
import { armDrain } from './http/drain';
import { shedder } from './http/shed';
import { notifyFollowersOfNewContent } from './notifications/on-content';
import type { LiveBus } from './live/bus';
import { MemoryBus } from './live/memory-bus';
import { RedisBus } from './live/redis-bus';
import { LiveStreams } from './live/sse';
import { log } from './log';
import { installMetrics } from './metrics/http';
import { installClientAddressHook } from './net/client-address';
import { respondBeforeNext } from './net/http-hook';
import { vapidKeys } from './push/vapid';
import { createRedis } from './redis/client';

/**
 * The composition root: how one Dispatch server process is put together (ADR 014).
 *
 * Everything with a lifetime of the process is built here, once: the database, Redis, the live
 * event bus and the content store; and every reaction to a content change is wired here, in
 * `wireContent` below. Modules that need one of these parts ask for it through the getters at the
 * end of this file (actions, queries, route helpers); the services they call take it as an
 * argument, so tests and scripts build their own. `boot()` starts the process (instrumentation.ts).
 */
export type Server = {
  /** The database, migrated; opened on first use, and opened again after a failed start. */
  db(): Promise<Db>;
  /** Redis when REDIS_URL is set (shared rate limits, events across instances), else null. */
  redis: Redis | null;
  /** Live events for open pages: through Redis across instances, or within this process. */
  bus: LiveBus;
  /** The event streams open to browsers on this process (pages/api/live.ts). */
  streams: LiveStreams;
  /** CONTENT_DIR parsed, watched, and wired; loaded on first use, and again after a failed load. */
  content(): Promise<ContentStore>;
  /** The desk's writes to CONTENT_DIR: confined, atomic, under one lock (ADR 015). */
  files: DeskFiles;
};

function compose(): Server {
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL) : null;
  const bus: LiveBus = redis ? new RedisBus(redis) : new MemoryBus();
  const db = retrying(() => {
    const handle = openDatabase(config.database);
    handle.ready.catch((error) => {
      // An outage is counted where a request meets it (lib/db/storage.ts noteOutage), one line a
      // minute; a line here on every retry would be one per request.
      if (!isDatabaseUnavailable(error))
        log.error('db', `cannot open ${config.database.dialect} database: ${messageOf(error)}`);
      void handle.db.destroy().catch(() => undefined);
    });
    return handle.ready;
  });
  const content = retrying(async () => {
    const store = new ContentStore({ dir: config.contentDir, includeDrafts: !isProduction });
    // `next build` leaves it empty: pages render on first request, so a build never bakes in
    // content and its time does not grow with the archive.
    if (process.env.NEXT_PHASE === 'phase-production-build') return store;
    try {
      await store.load(); // the first snapshot announces nothing: every file is already there
      wireContent(store, { db, bus });
      await store.watch();
    } catch (error) {
      log.error('content', `cannot load ${config.contentDir}: ${messageOf(error)}`);
      await store.close();
      throw error;
    }
    return store;
  });
  return { db, redis, bus, streams: new LiveStreams(), content, files: new DeskFiles(config.contentDir) };
}

/** Every reaction to a change in CONTENT_DIR, in one place (exported for its test). */
export function wireContent(store: ContentStore, { db, bus }: Pick<Server, 'db' | 'bus'>) {
  // Cached pages rendered before the last swap are stale (ADR 003), whatever changed.
  markContentChanged();
  store.onSwap(() => markContentChanged());
  // Open pages hear of each visible change (SPEC §6).
  store.subscribe((changes) => publishContentEvents(bus, store, changes));
  // Followers are told of new items, in the app and by push (ADR 010).
  store.subscribe((changes) => {
    for (const change of changes) {
      if (change.type !== 'content.created') continue;
      const article = store.visibleArticle(change.slug);
      if (!article) continue;
      db()
        .then((database) => notifyFollowersOfNewContent(database, article))
        .catch((error) =>
          log.error('follows', `notifying followers of ${change.slug} failed: ${messageOf(error)}`),
        );
    }
  });
}

function publishContentEvents(bus: LiveBus, store: ContentStore, changes: ContentChange[]) {
  const at = Date.now();
  for (const change of changes) {
    const article = change.type === 'topic.ended' ? undefined : change.slug;
    // Every instance watching the folder sees this change; browsers hear of it once (ADR 016).
    // The article's version is the same on every instance that parsed the same file.
    const version = article ? (store.visibleArticle(article)?.version ?? '') : '';
    const once = [change.type, change.slug, version, ...change.topics].join('\u0000');
    bus
      .publish({ type: change.type, topics: change.topics, article, at }, { once })
      .catch((error) => log.error('live', `publish failed: ${messageOf(error)}`));
  }
}

/**
 * Starts the server process, once, from instrumentation.ts (Node runtime only): client addresses
 * decided at the socket, push keys ready, live bus listening, content loaded and watched, the
 * database migrated, graceful shutdown armed.
 */
export async function boot() {
  // First: from here on every limit and log line sees the socket's client, not a header (TRUST_PROXY).
  installClientAddressHook(config.TRUST_PROXY);
  installMetrics(); // requests by route and status; /metrics on METRICS_PORT when set
  serveCheaply();
  vapidKeys(); // generated into ./data on first start; a half-set pair stops the server here
  const { db, content, streams } = server(); // with Redis, the bus reads other instances' events from now on
  // A database that is down at boot is not fatal: pages keep serving, /api/health says 503, and
  // the next request that needs the database tries again.
  await Promise.all([
    content(),
    db().catch(() => log.warn('db', 'not available at start; will retry on use')),
  ]);

  // SIGTERM: drain (ADR 016). Next's own handler closes the listener and waits for every
  // connection with no deadline, which live streams never end, and no readiness to tell a load
  // balancer first: this one replaces it (SECURITY P28).
  const { drain } = armDrain({
    delayMs: config.DRAIN_DELAY_SECONDS * 1000,
    timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    closeStreams: () => streams.closeAll(),
    closeServices,
    exit: (code) => process.exit(code),
  });
  for (const listener of process.listeners('SIGTERM')) process.off('SIGTERM', listener);
  process.once('SIGTERM', () => void drain());
}

/**
 * Before Next (ADR 017): anonymous readers' shared pages from memory, then, when the event loop
 * lags, a quick 503 for what would need real work. Production only: `next dev` recompiles pages.
 */
function serveCheaply() {
  if (!isProduction) return;
  if (config.RESPONSE_CACHE_MB > 0) {
    const cache = new ResponseCache({
      changedAt: contentChangedAt,
      sessionCookies: [
        sessionCookieName({ SITE_URL: 'http://' }),
        sessionCookieName({ SITE_URL: 'https://' }),
      ],
      maxBytes: config.RESPONSE_CACHE_MB * 1024 * 1024,
    });
    respondBeforeNext('response-cache', (req, res) => cache.respond(req, res));
  }
  if (config.SHED_LAG_MS > 0) respondBeforeNext('shed', shedder({ thresholdMs: config.SHED_LAG_MS }).respond);
}

/** Closes the bus, Redis and the database pool, the last step of a drain. */
async function closeServices() {
  const { bus, redis, db } = server();
  await Promise.allSettled([bus.close(), redis?.quit(), db().then((database) => database.destroy())]);
}

/** One shared start; a failed one is forgotten, so the next caller tries again (a database still starting). */
function retrying<T>(start: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  return () => {
    if (!current) {
      const attempt = start();
      current = attempt;
      attempt.catch(() => {
        if (current === attempt) current = null;
      });
    }
    return current;
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

// Next bundles instrumentation, pages, route handlers and server actions separately, and each
// bundle has its own copy of this module: the process's one Server is kept in this one slot.
const SLOT = Symbol.for('dispatch.server');

/** The process's parts, composed on first use. */
export function server(): Server {
  const g = globalThis as { [SLOT]?: Server };
  return (g[SLOT] ??= compose());
}

export const getDb = (): Promise<Db> => server().db();
export const getContentStore = (): Promise<ContentStore> => server().content();
export const getLiveBus = (): LiveBus => server().bus;
export const getRedis = (): Redis | null => server().redis;
export const getLiveStreams = (): LiveStreams => server().streams;
export const getDeskFiles = (): DeskFiles => server().files;
