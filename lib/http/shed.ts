import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log';
import { LogThrottle } from '../log-throttle';
import { counter } from '../metrics/registry.cjs';

/**
 * Load shedding (docs/decisions/017-response-cache.md): when the event loop falls behind, a request
 * that would need real work (a page render, an API read, a new live stream) is refused at once with
 * 503 and `Retry-After`, instead of waiting in a queue that makes every reader wait. What the
 * response cache answers is not refused (it runs first and costs less than a refusal would save),
 * nor health checks and a page's assets, nor requests with a body: a reply or sign-in is a
 * reader's work, never dropped.
 */
export type ShedOptions = {
  /** Lag (ms) past which requests are refused; 0 never refuses. */
  thresholdMs: number;
  /** How often the lag is sampled. */
  intervalMs?: number;
};

const refused = counter({
  name: 'dispatch_shed_requests_total',
  help: 'Requests refused with 503 because the event loop lagged (load shedding), by kind (page, api, live).',
  labelNames: ['kind'],
});

const SMOOTHING = 0.2;
// What a page needs to work once its HTML arrived (scripts, styles, fonts, icons): cheap, and
// refusing them would break pages that are already being read.
const ASSETS = /^\/(?:_next\/static\/|images\/|theme\.js|sw\.js|icon|favicon|apple-icon)/;

const BUSY_PAGE = Buffer.from(
  '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    '<title>Very busy — Dispatch</title><main><h1>Very busy right now</h1>' +
    '<p>Too many readers at once. This page will be back in a few seconds: <a href="">try again</a>.</p></main></html>',
);
const BUSY_JSON = Buffer.from(
  JSON.stringify({ code: 'unavailable', message: 'The server is very busy; try again in a few seconds.' }),
);

/**
 * Samples how late the event loop runs. `lagMs()` is a moving average (about a quarter second), so
 * one long task (a big render, a GC pause) does not shed anything; a loop that stays behind does.
 */
export class LagMeter {
  private level = 0;
  private last = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly intervalMs = 20) {
    this.timer = setInterval(() => {
      const now = performance.now();
      const lag = Math.max(0, now - this.last - this.intervalMs);
      this.last = now;
      this.level += (lag - this.level) * SMOOTHING;
    }, intervalMs);
    this.timer.unref(); // never what keeps the process alive
  }

  lagMs() {
    return this.level;
  }

  stop() {
    clearInterval(this.timer);
  }
}

/** A responder for lib/net/http-hook.ts: true when it refused the request. */
export function shedder({ thresholdMs, intervalMs }: ShedOptions) {
  const meter = new LagMeter(intervalMs);
  const logs = new LogThrottle((line, first) => (first ? log.warn('shed', line) : log.info('shed', line)));
  const respond = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (thresholdMs <= 0 || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const lag = meter.lagMs();
    if (lag <= thresholdMs) return false;
    const url = req.url ?? '/';
    if (url.startsWith('/api/health') || ASSETS.test(url)) return false;
    const kind = url.startsWith('/api/live') ? 'live' : url.startsWith('/api/') ? 'api' : 'page';
    refused.inc({ kind });
    const ms = Math.round(lag);
    logs.note('lag', {
      first: () => `load shedding: the event loop is ${ms} ms behind; refusing new work with 503`,
      summary: (count, seconds) => `load shedding: ${count} more requests refused in ${seconds} s`,
    });
    const page = kind === 'page';
    const body = page ? BUSY_PAGE : BUSY_JSON;
    res.writeHead(503, {
      'content-type': page ? 'text/html; charset=utf-8' : 'application/json',
      'content-length': body.length,
      'cache-control': 'no-store',
      // Spread over a few seconds, so the readers refused together don't all come back together.
      'retry-after': String(2 + Math.floor(Math.random() * 4)),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
  return { respond, meter };
}
