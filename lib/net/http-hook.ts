import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * The one place Dispatch sees every HTTP request of the process before Next does: `next start`
 * owns the server, so the hook is on `http.Server.prototype.emit` (installed once, from boot()).
 * Observers run in the order they were added, for each request, with its response and server:
 * the client address (lib/net/client-address.ts), metrics, and the drain on SIGTERM. Each request
 * then runs inside its own context, so log lines written while serving it carry its id.
 */
/** Returns true when it answered the request itself (then nothing else sees it, Next included). */
export type RequestObserver = (
  req: IncomingMessage,
  res: ServerResponse,
  server: http.Server,
) => boolean | void;

export type RequestContext = {
  /** The proxy's `X-Request-Id` when the request came through a trusted proxy, else a new UUID. */
  id: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
};

type HookState = {
  observers: Map<string, RequestObserver>;
  /** Run after the observers, inside the request's context: each may answer instead of Next. */
  responders: Map<string, RequestObserver>;
  upgrades: Map<string, (req: IncomingMessage) => void>;
  context: AsyncLocalStorage<RequestContext>;
  /** Decides whether the request's own `X-Request-Id` may be believed (set by the client-address hook). */
  trustRequestId: (req: IncomingMessage) => boolean;
};
// One for the process: Next bundles instrumentation and each route separately.
const STATE = Symbol.for('dispatch.http-hook');

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function install(): HookState {
  const hook: HookState = {
    observers: new Map(),
    responders: new Map(),
    upgrades: new Map(),
    context: new AsyncLocalStorage(),
    trustRequestId: () => false,
  };
  const emit = http.Server.prototype.emit as (
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'upgrade')
      for (const observe of hook.upgrades.values()) observe(args[0] as IncomingMessage);
    if (event !== 'request') return emit.call(this, event, ...args);
    const req = args[0] as IncomingMessage;
    const res = args[1] as ServerResponse;
    for (const observe of hook.observers.values()) if (observe(req, res, this) === true) return true;
    const given = req.headers['x-request-id'];
    const id =
      typeof given === 'string' && REQUEST_ID.test(given) && hook.trustRequestId(req) ? given : randomUUID();
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const context = {
      id,
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      startedAt: performance.now(),
    };
    return hook.context.run(context, () => {
      for (const respond of hook.responders.values()) if (respond(req, res, this) === true) return true;
      return emit.call(this, event, ...args);
    });
  } as typeof http.Server.prototype.emit;
  return hook;
}

function hook(): HookState {
  const g = globalThis as { [STATE]?: HookState };
  return (g[STATE] ??= install());
}

/** Adds (or replaces, by name) an observer of every request of every HTTP server in the process. */
export function observeRequests(name: string, observer: RequestObserver) {
  hook().observers.set(name, observer);
}

/**
 * Adds (or replaces, by name) a responder: it sees every request after the observers (so it is
 * counted, timed and drained like any other) and with its request id, and may answer it instead
 * of Next by returning true (the response cache, load shedding).
 */
export function respondBeforeNext(name: string, responder: RequestObserver) {
  hook().responders.set(name, responder);
}

/** Adds (or replaces, by name) an observer of every upgrade request (WebSocket); Next's HMR only. */
export function observeUpgrades(name: string, observer: (req: IncomingMessage) => void) {
  hook().upgrades.set(name, observer);
}

/** Whether a request's own `X-Request-Id` may be kept: only when a trusted proxy sent it. */
export function trustRequestIdWhen(check: (req: IncomingMessage) => boolean) {
  hook().trustRequestId = check;
}

/** The request being served, when called while serving one through the hook; undefined otherwise. */
export function currentRequest(): RequestContext | undefined {
  const g = globalThis as { [STATE]?: HookState };
  return g[STATE]?.context.getStore();
}
