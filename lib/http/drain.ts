import type http from 'node:http';
import type { ServerResponse } from 'node:http';
import { log } from '../log';
import { observeRequests } from '../net/http-hook';

/**
 * Leaving without dropping anyone (SIGTERM; docs/decisions/016-drain-and-outages.md).
 *
 * 1. At once: readiness fails and new live streams are refused with 503 and `Retry-After`; every
 *    response from then on says `Connection: close`, so no kept-alive connection brings another.
 * 2. For `delayMs`, requests are served as usual: time for a load balancer that polls readiness to
 *    take the instance out.
 * 3. For `refuseMs`, GET and HEAD requests are answered 503 with `Retry-After` (health checks
 *    excepted): a proxy that retries them (deploy/nginx) does so on another instance and marks this
 *    one down, so it stops opening connections here. Requests with a body are still served: a
 *    proxy never resends those.
 * 4. The listeners close (a proxy's next connection is refused and goes elsewhere), open live
 *    streams end with their `shutdown` event, requests in flight finish, the services close, and
 *    the process exits 0; after `timeoutMs` it exits 1 anyway.
 *
 * Step 3 exists because closing a listener resets the connections still waiting in its accept
 * queue: a proxy that sent a POST on one cannot know it was never read, and answers 502.
 */
export type DrainOptions = {
  delayMs: number;
  /** How long GET and HEAD are refused before the listeners close (step 3). */
  refuseMs?: number;
  timeoutMs: number;
  /** Ends the open live streams (each with its final event). */
  closeStreams: () => void;
  /** Closes what the process holds open (the bus, Redis, the database pool). */
  closeServices: () => Promise<void>;
  exit: (code: number) => void;
};

type DrainState = { draining: boolean; refusing: boolean };
// Read by the health and live routes, which Next bundles apart from boot's copy of this module.
const SLOT = Symbol.for('dispatch.drain');
const state = (): DrainState =>
  ((globalThis as { [SLOT]?: DrainState })[SLOT] ??= { draining: false, refusing: false });

/** True from SIGTERM on: readiness answers 503 and new live streams are refused. */
export const isDraining = () => state().draining;

/** Starts counting requests in flight (from boot) and returns the drain to run on SIGTERM. */
export function armDrain(options: DrainOptions) {
  const servers = new Set<http.Server>();
  const inFlight = new Set<ServerResponse>();
  let settled: (() => void) | null = null;
  observeRequests('drain', (req, res, server) => {
    servers.add(server);
    const { draining, refusing } = state();
    if (refusing && (req.method === 'GET' || req.method === 'HEAD') && !req.url?.startsWith('/api/health')) {
      res.writeHead(503, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'retry-after': '2',
        connection: 'close',
      });
      res.end(JSON.stringify({ code: 'unavailable', message: 'This server is restarting; try again.' }));
      return true; // Next never sees it
    }
    inFlight.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      // A response that began before the drain kept its connection alive: close it once idle.
      if (state().draining) setImmediate(() => server.closeIdleConnections());
      if (inFlight.size === 0) settled?.();
    });
  });

  let started: Promise<void> | null = null;
  const drain = () =>
    (started ??= (async () => {
      const begun = performance.now();
      state().draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      log.info(
        'server',
        `SIGTERM: draining (not ready now; closing in ${options.delayMs / 1000} s; exit within ${options.timeoutMs / 1000} s)`,
      );
      const deadline = setTimeout(() => {
        log.warn('server', `drain deadline reached with ${inFlight.size} request(s) in flight: exiting`);
        options.exit(1);
      }, options.timeoutMs);
      if (options.delayMs > 0) await new Promise((r) => setTimeout(r, options.delayMs));
      state().refusing = true;
      await new Promise((r) => setTimeout(r, options.refuseMs ?? 1_000));
      for (const server of servers) {
        server.close(); // no new connections: the proxy's next attempt goes to another instance
        server.closeIdleConnections();
      }
      options.closeStreams();
      if (inFlight.size > 0) await new Promise<void>((resolve) => (settled = resolve));
      await options
        .closeServices()
        .catch((error: unknown) =>
          log.warn('server', `closing services: ${error instanceof Error ? error.message : String(error)}`),
        );
      clearTimeout(deadline);
      log.info('server', `drained in ${Math.round(performance.now() - begun)} ms: exiting`);
      options.exit(0);
    })());
  return { drain };
}

/** Forgets a drain (tests run several in one process). */
export function resetDrainState() {
  state().draining = false;
  state().refusing = false;
}
