import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { observeRequests, observeUpgrades, trustRequestIdWhen } from './http-hook';

/**
 * Who the client is, decided once per request at the socket (SECURITY P5, docs/decisions/012).
 *
 * `X-Forwarded-For`, `X-Forwarded-Host` and `X-Forwarded-Proto` are headers anyone can write. Next
 * keeps whatever the client sent (it only fills them in when absent), so a limit keyed on the
 * left-most `X-Forwarded-For` is reset by the client itself. Here the socket's address decides:
 * forwarded headers are believed only when the connection comes from a proxy that `TRUST_PROXY`
 * names, and then only as far as that proxy chain goes. The result is written into the request as
 * one header every limit and log line reads through `clientIp()`.
 */

/** `TRUST_PROXY`: nobody (the default), the last N hops, or the proxies' addresses and subnets. */
export type TrustProxy =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'list'; list: BlockList; text: string };

const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

/** Parses `TRUST_PROXY`; throws a message naming what is wrong. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'none' || value === 'false' || value === '0') return { kind: 'none' };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 20) throw new Error('must be at most 20 hops');
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const entry of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    for (const cidr of NAMED[entry] ?? [entry]) {
      const [address = '', bits] = cidr.split('/');
      const family = isIP(address);
      if (!family)
        throw new Error(
          `"${entry}" is not a number of hops, an address, a CIDR or loopback/private/linklocal`,
        );
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) list.addAddress(address, type);
      else {
        const prefix = Number(bits);
        if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128))
          throw new Error(`"${cidr}" has a bad prefix length`);
        list.addSubnet(address, prefix, type);
      }
    }
  }
  return { kind: 'list', list, text: value };
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is `10.0.0.1`. */
function normalizeAddress(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1]! : a.toLowerCase();
}

function isTrusted(rule: TrustProxy, address: string): boolean {
  if (rule.kind !== 'list') return false;
  const family = isIP(address);
  return family !== 0 && rule.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address from the socket's peer and the `X-Forwarded-For` chain, walking from the
 * right (each proxy appends the address it saw) past the proxies we trust. `proxied` is true when
 * the peer itself is a trusted proxy, i.e. its other forwarded headers may be believed.
 */
export function resolveClient(
  rule: TrustProxy,
  peer: string,
  forwardedFor: string | undefined,
): { address: string; proxied: boolean } {
  const socket = normalizeAddress(peer || 'unknown');
  if (rule.kind === 'none') return { address: socket, proxied: false };
  const chain = [
    ...(forwardedFor ?? '')
      .split(',')
      .map(normalizeAddress)
      .filter((a) => isIP(a) !== 0),
    socket,
  ];
  if (rule.kind === 'hops') {
    if (rule.hops === 0) return { address: socket, proxied: false };
    return { address: chain[Math.max(0, chain.length - 1 - rule.hops)]!, proxied: true };
  }
  if (!isTrusted(rule, socket)) return { address: socket, proxied: false };
  let i = chain.length - 1;
  while (i > 0 && isTrusted(rule, chain[i]!)) i--;
  return { address: chain[i]!, proxied: true };
}

/** The header the socket hook writes; anything a client sends under this name is dropped. */
export const CLIENT_HEADER = 'x-dispatch-client';
const FORWARDED = [
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'forwarded',
];

type HookState = { nonce: string; rule: TrustProxy };
// Shared through globalThis because Next bundles instrumentation and each route separately and they
// must agree on the nonce (the per-process secret that proves the hook, not a client, wrote the header).
const STATE = Symbol.for('dispatch.client-address');
const state = () => (globalThis as { [STATE]?: HookState })[STATE];

/** Rewrites one incoming request's forwarded headers as `rule` allows; true when a trusted proxy sent it. */
function sanitizeRequest(req: IncomingMessage, rule: TrustProxy, nonce: string): boolean {
  const headers = req.headers;
  const xff = headers['x-forwarded-for'];
  const { address, proxied } = resolveClient(
    rule,
    req.socket?.remoteAddress ?? '',
    Array.isArray(xff) ? xff.join(',') : xff,
  );
  delete headers[CLIENT_HEADER];
  if (!proxied) for (const name of FORWARDED) delete headers[name];
  // One address, so code that reads X-Forwarded-For (Next's own) sees the decided client too.
  headers['x-forwarded-for'] = address;
  headers[CLIENT_HEADER] = `${nonce} ${address}`;
  return proxied;
}

/**
 * Installs the hook for every HTTP server in this process, before Next sees the request (through
 * lib/net/http-hook.ts). Called from instrumentation (lib/server.ts boot()); idempotent. Requests
 * that arrived before it (the instant between `listen` and boot) carry no valid mark and count as
 * one unverified client. A request id from the client is kept only when a trusted proxy sent it.
 */
export function installClientAddressHook(rule: TrustProxy) {
  const g = globalThis as { [STATE]?: HookState };
  if (g[STATE]) {
    g[STATE].rule = rule;
    return;
  }
  const hook: HookState = { nonce: randomBytes(16).toString('hex'), rule };
  g[STATE] = hook;
  const proxiedRequests = new WeakSet<IncomingMessage>();
  observeRequests('client-address', (req) => {
    if (sanitizeRequest(req, hook.rule, hook.nonce)) proxiedRequests.add(req);
  });
  observeUpgrades('client-address', (req) => void sanitizeRequest(req, hook.rule, hook.nonce));
  trustRequestIdWhen((req) => proxiedRequests.has(req));
}

/** The header value the hook writes for `address`, for tests that call limits without a socket. */
export function clientMark(address: string): string {
  const hook = state();
  if (!hook) throw new Error('the client address hook is not installed');
  return `${hook.nonce} ${address}`;
}

export type HeaderSource =
  { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/** One header's (first) value from web Headers or Node's / next-auth's plain object of them. */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  return ([] as (string | undefined)[]).concat(
    (headers as Record<string, string | string[] | undefined>)[name],
  )[0];
}

/**
 * The client's address as the socket hook decided it (never a client-written header). `unverified`
 * when the hook did not see the request: all such requests share one limit, so none escapes it.
 */
export function clientIp(headers: HeaderSource): string {
  const raw = headerValue(headers, CLIENT_HEADER);
  const hook = state();
  if (!hook || !raw) return 'unverified';
  const space = raw.indexOf(' ');
  return raw.slice(0, space) === hook.nonce ? raw.slice(space + 1) : 'unverified';
}
