import { counter, gauge, histogram } from './registry.cjs';

/**
 * Dispatch's own metrics, each counted where its event happens (README, "Metrics and logs", lists
 * them for operators). Labels take a few fixed values only, so the number of series stays small
 * whatever the traffic. The page cache counts its hits in lib/cache/page-cache-handler.cjs.
 */

// HTTP, observed for every request of the process (lib/metrics/http.ts).
export const httpRequests = counter({
  name: 'dispatch_http_requests_total',
  help: 'HTTP requests answered, by route (a fixed set of groups) and status code.',
  labelNames: ['route', 'status'] as const,
});
export const httpRequestDuration = histogram({
  name: 'dispatch_http_request_duration_seconds',
  help: 'Time from a request arriving to its response finishing, by route and status class (for /api/live: how long the stream stayed open).',
  labelNames: ['route', 'status_class'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

// Live events (wired in lib/live and lib/server.ts).
export const liveStreamsOpen = gauge({
  name: 'dispatch_live_streams_open',
  help: 'Live event streams (/api/live) open on this instance.',
});
export const liveEventsPublished = counter({
  name: 'dispatch_live_events_published_total',
  help: 'Live events this instance published to the bus.',
});
export const liveEventsDelivered = counter({
  name: 'dispatch_live_events_delivered_total',
  help: 'Live events written to open streams on this instance, once per stream.',
});
export const liveBusLagSeconds = histogram({
  name: 'dispatch_live_bus_lag_seconds',
  help: 'Seconds from an event being published (on any instance) to this instance receiving it from the bus.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});
export const liveBusOutbox = gauge({
  name: 'dispatch_live_bus_outbox',
  help: 'Live events waiting for Redis to come back before other instances can hear of them.',
});

// Replies (lib/replies): accepted by the state they start in, refused by why.
export const repliesAccepted = counter({
  name: 'dispatch_replies_accepted_total',
  help: 'New replies stored, by the state they start in (published, or pending for a moderator).',
  labelNames: ['status'] as const,
});
export const repliesRefused = counter({
  name: 'dispatch_replies_refused_total',
  help: 'Replies refused, by reason: signed_out, invalid, article_gone, closed, parent_gone, flood, no_account, unavailable.',
  labelNames: ['reason'] as const,
});

// Sign-in (lib/auth/auth.ts).
export const signInFailures = counter({
  name: 'dispatch_sign_in_failures_total',
  help: 'Failed sign-ins, by method (password, magic_link) and reason (wrong, invalid, rate_limited, refused).',
  labelNames: ['method', 'reason'] as const,
});

// Outgoing messages.
export const mailMessages = counter({
  name: 'dispatch_mail_messages_total',
  help: 'Emails handed to EMAIL_SERVER, by result (sent, failed).',
  labelNames: ['result'] as const,
});
export const pushMessages = counter({
  name: 'dispatch_push_messages_total',
  help: 'Web push messages, by result (sent; gone: the subscription no longer exists; failed).',
  labelNames: ['result'] as const,
});

// Content (lib/content/store.ts).
export const contentErrors = gauge({
  name: 'dispatch_content_errors',
  help: 'Content files left out now because they have errors (npm run content:check lists them).',
});
export const contentErrorsFound = counter({
  name: 'dispatch_content_errors_total',
  help: 'Content errors found (each logged once, when it first appears).',
});

// Connections: read at each scrape from the clients registered below.

type Pool = { totalCount: number; idleCount: number; waitingCount: number; ended: boolean };
type RedisClient = { status: string };
type Watched = { pools: Set<Pool>; redis: Set<RedisClient> };
// The clients are made by one bundle's copy of this module and scraped through another's.
const WATCHED = Symbol.for('dispatch.metrics.watched');
const watched = (): Watched =>
  ((globalThis as { [WATCHED]?: Watched })[WATCHED] ??= { pools: new Set(), redis: new Set() });

const livePools = () => {
  const { pools } = watched();
  for (const pool of pools) if (pool.ended) pools.delete(pool);
  return [...pools];
};
const sum = (pools: Pool[], count: (pool: Pool) => number) => pools.reduce((n, pool) => n + count(pool), 0);

/** Reports a PostgreSQL pool's connections and waiting queries (lib/db/client.ts); SQLite has none. */
export function watchPool(pool: Pool) {
  watched().pools.add(pool);
  gauge({
    name: 'dispatch_db_pool_connections',
    help: 'PostgreSQL connections of this instance, by state (active: lent to a query; idle).',
    labelNames: ['state'] as const,
    collect() {
      const pools = livePools();
      this.set(
        { state: 'active' },
        sum(pools, (p) => p.totalCount - p.idleCount),
      );
      this.set(
        { state: 'idle' },
        sum(pools, (p) => p.idleCount),
      );
    },
  });
  gauge({
    name: 'dispatch_db_pool_waiting',
    help: 'Queries waiting for a PostgreSQL connection (the pool is exhausted while this stays above 0).',
    collect() {
      this.set(sum(livePools(), (p) => p.waitingCount));
    },
  });
}

/** Reports whether Redis answers (lib/redis/client.ts): only when REDIS_URL is set. */
export function watchRedis(redis: RedisClient) {
  watched().redis.add(redis);
  gauge({
    name: 'dispatch_redis_up',
    help: '1 while the connection to Redis is ready, 0 while it is away (live events then stay on this instance).',
    collect() {
      const clients = watched().redis;
      for (const client of clients) if (client.status === 'end') clients.delete(client);
      this.set(clients.size > 0 && [...clients].every((client) => client.status === 'ready') ? 1 : 0);
    },
  });
}
