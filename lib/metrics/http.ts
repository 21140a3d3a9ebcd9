import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { config } from '../env';
import { log } from '../log';
import { clientIp } from '../net/client-address';
import { observeRequests } from '../net/http-hook';
import { bearerMatches, scrape } from './expose';
import { httpRequestDuration, httpRequests } from './metrics';

/**
 * A path's group for the `route` label: a small fixed set, whatever paths clients ask for, so a
 * crawler (or an attacker) can't grow the number of series.
 */
const ROUTES: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/^\/$/, '/'],
  [/^\/_next\/static\//, '/_next/static'],
  [/^\/_next\//, '/_next'],
  [/^\/api\/live$/, '/api/live'],
  [/^\/api\/auth\//, '/api/auth/*'],
  [/^\/api\/(?:replies\/|articles\/[^/]+\/replies$)/, '/api/replies'],
  [/^\/api\/topics\/[^/]+\/stream$/, '/api/topics/[topic]/stream'],
  [/^\/api\/health$/, '/api/health'],
  [/^\/api\//, '/api/*'],
  [/^\/articles\/[^/]+$/, '/articles/[slug]'],
  [/\/(?:rss\.xml|atom\.xml|feed\.json)$/, 'feeds'],
  [/^\/topics\/[^/]+(?:\/page\/[^/]+)?$/, '/topics/[topic]'],
  [/^\/authors\/[^/]+(?:\/page\/[^/]+)?$/, '/authors/[author]'],
  [/^\/media\//, '/media'],
  [/^\/desk(?:\/|$)/, '/desk'],
  [
    /^\/(topics|search|following|notifications|account|moderation|signin|signup|metrics)(?:\/|$)/,
    (m) => `/${m[1]}`,
  ],
];

/** The `route` label of a request: a server action (a POST with `Next-Action`), a path group, or `other`. */
export function routeOf(
  method: string | undefined,
  url: string | undefined,
  headers: http.IncomingHttpHeaders,
) {
  if (method === 'POST' && headers['next-action']) return 'action';
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  for (const [pattern, label] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return typeof label === 'string' ? label : label(match);
  }
  return 'other';
}

function observe(req: IncomingMessage, res: ServerResponse) {
  const started = performance.now();
  const route = routeOf(req.method, req.url, req.headers);
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    // Headers never sent: the client went away first (nginx's 499).
    const status = res.headersSent ? res.statusCode : 499;
    httpRequests.inc({ route, status: String(status) });
    httpRequestDuration.observe(
      { route, status_class: `${Math.floor(status / 100)}xx` },
      (performance.now() - started) / 1000,
    );
  };
  res.once('finish', end);
  res.once('close', end);
}

/** Answers GET /metrics on the METRICS_PORT listener: the token is required there too when it is set. */
function serveOnPort(token: string | undefined) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (token && !bearerMatches(req.headers.authorization, token)) {
      log.warn(
        'authz',
        `refused /metrics on the metrics port: no or wrong token ip=${clientIp(req.headers)}`,
      );
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
      return;
    }
    scrape()
      .then(({ contentType, body }) =>
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      )
      .catch((error: unknown) => {
        log.error('metrics', 'scrape failed', error);
        res.writeHead(500).end();
      });
  };
}

type MetricsOptions = {
  /** Also serve /metrics on this port of 127.0.0.1 (METRICS_PORT; 0: any free port); default from config. */
  port?: number;
  token?: string;
};

/**
 * Counts and times every HTTP request of the process by route and status (through
 * lib/net/http-hook.ts) and, with METRICS_PORT, serves /metrics on that loopback port. Called once
 * from lib/server.ts boot(); adding the observer again replaces it. Returns the metrics listener,
 * if any.
 */
export function installMetrics({
  port = config.METRICS_PORT,
  token = config.METRICS_TOKEN,
}: MetricsOptions = {}): http.Server | null {
  observeRequests('metrics', observe);
  if (port === undefined) return null;
  const server = http.createServer(serveOnPort(token));
  server.on('error', (error) => log.error('metrics', `cannot serve /metrics on 127.0.0.1:${port}`, error));
  server.listen(port, '127.0.0.1', () => log.info('metrics', `serving /metrics on http://127.0.0.1:${port}`));
  server.unref(); // never what keeps the process alive
  return server;
}
