import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { counter } from '../metrics/registry.cjs';

/**
 * Cached public pages answered before Next's request pipeline (docs/decisions/017-response-cache.md).
 *
 * Next's own cache (page-cache-handler.cjs) already holds each rendered page, but a hit still runs
 * Next's routing, headers, rendering of the cached entry and per-request compression: ~1 ms of CPU.
 * Here the first anonymous GET of a URL goes through Next as always and its response is recorded;
 * when Next itself said it may be shared (`Cache-Control` with `s-maxage` or `max-age`, not private,
 * no cookie set, 200), the bytes are kept with gzip and brotli made once, and later anonymous GET
 * and HEAD requests of that URL get them (or 304) straight from memory, for as long as Next's
 * `Cache-Control` allows and never after the content last changed (./generation.cjs).
 *
 * Never from here: requests with a query string, a session cookie, a body, Next's router headers
 * (RSC, prefetch), a `Range`; responses with `Set-Cookie` or a `Vary` on anything but those headers.
 */
export type ResponseCacheOptions = {
  /** Epoch ms of the last content change; responses recorded before it are stale. */
  changedAt: () => number;
  /** Cookie names that mark a signed-in reader (their requests always go to Next). */
  sessionCookies: string[];
  /** Bound on the bytes kept (identity + gzip + brotli); least recently used go first. */
  maxBytes?: number;
  now?: () => number;
};

type Encoding = 'br' | 'gzip' | 'identity';

type Entry = {
  /** When the request that recorded it arrived (epoch ms): older than a content change = stale. */
  recordedAt: number;
  /** False for `immutable` responses (Next's hashed scripts and styles): no content change touches them. */
  followsContent: boolean;
  expiresAt: number;
  etag: string;
  bodies: Record<Encoding, Buffer>;
  /** Complete response headers per encoding, made once. */
  heads: Record<Encoding, OutgoingHttpHeaders>;
  notModified: OutgoingHttpHeaders;
  size: number;
};

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

const lookups = counter({
  name: 'dispatch_response_cache_requests_total',
  help: 'Anonymous GET/HEAD requests the response cache could answer, by result (hit; miss: recorded from Next; stale: older than a content change or its max-age).',
  labelNames: ['result'],
});

const ROUTER_HEADERS = [
  'rsc',
  'next-router-state-tree',
  'next-router-prefetch',
  'next-router-segment-prefetch',
  'next-action',
  'next-url',
  'range',
];
// A response that varies on anything else than these (and the encoding) is not shared here.
const VARY_ALLOWED = new Set([...ROUTER_HEADERS, 'accept-encoding']);
// Set per response by Node or the hook, or made here.
const NOT_KEPT = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'date',
  'x-request-id',
  'etag',
  'vary',
]);
const MAX_BODY = 4 * 1024 * 1024;
const COMPRESSIBLE = /^(?:text\/|image\/svg|application\/(?:json|javascript|xml|[a-z.+-]+\+(?:xml|json)))/i;
const ACCEPT_CHOICES_KEPT = 64;

/** The process's response cache; `respond` answers a request from it (true) or records it from Next. */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly recording = new Set<string>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly encodings = new Map<string, Encoding[]>();

  constructor(private readonly options: ResponseCacheOptions) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  get size() {
    return this.entries.size;
  }

  /** Answers `req` from the cache and returns true, or returns false (Next answers; maybe recorded). */
  respond(req: IncomingMessage, res: ServerResponse): boolean {
    const key = this.keyOf(req);
    if (key === null) return false;
    const entry = this.entries.get(key);
    if (entry) {
      const fresh = !entry.followsContent || entry.recordedAt > this.options.changedAt();
      if (fresh && this.now() < entry.expiresAt) {
        lookups.inc({ result: 'hit' });
        this.entries.delete(key); // Map order is insertion order: now the most recently used
        this.entries.set(key, entry);
        this.send(req, res, entry);
        return true;
      }
      lookups.inc({ result: 'stale' });
      this.remove(key);
    } else {
      lookups.inc({ result: 'miss' });
    }
    if (req.method === 'GET' && !this.recording.has(key)) this.record(key, res);
    return false;
  }

  /** Forgets everything (tests). */
  clear() {
    this.entries.clear();
    this.bytes = 0;
  }

  /** The URL's key when the request may be answered from here, else null. */
  private keyOf(req: IncomingMessage): string | null {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    const url = req.url;
    if (!url || url.includes('?') || url.charCodeAt(0) !== 47 /* / */) return null;
    const headers = req.headers;
    for (const name of ROUTER_HEADERS) if (headers[name] !== undefined) return null;
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return null;
    const cookie = headers.cookie;
    if (cookie && this.options.sessionCookies.some((name) => cookie.includes(`${name}=`))) return null;
    return url;
  }

  private send(req: IncomingMessage, res: ServerResponse, entry: Entry) {
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && etagMatches(ifNoneMatch, entry.etag)) {
      res.writeHead(304, entry.notModified).end();
      return;
    }
    const encoding = this.encodingFor(req.headers['accept-encoding']);
    res.writeHead(200, entry.heads[encoding]);
    res.end(req.method === 'HEAD' ? undefined : entry.bodies[encoding]);
  }

  /** The best encoding the request accepts of brotli, gzip and none (a small memo: browsers send a few values). */
  private encodingFor(accept: string | undefined): Encoding {
    if (!accept) return 'identity';
    let order = this.encodings.get(accept);
    if (!order) {
      order = acceptedEncodings(accept);
      if (this.encodings.size >= ACCEPT_CHOICES_KEPT) this.encodings.clear();
      this.encodings.set(accept, order);
    }
    return order[0] ?? 'identity';
  }

  /**
   * Lets Next answer as usual and keeps a copy of what it wrote (compressed by Next when the reader
   * asked for it: decompressed here once); stored when the response may be shared. Its headers are read
   * back with getHeaders(): the hook's `x-request-id`, set before, makes Node keep every header
   * Next sets, `writeHead`'s too.
   */
  private record(key: string, res: ServerResponse) {
    const recordedAt = this.now();
    this.recording.add(key);
    const chunks: Buffer[] = [];
    let length = 0;
    const keep = (chunk: unknown, encoding: unknown) => {
      if (length > MAX_BODY || chunk == null || typeof chunk === 'function') return;
      const buffer =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array); // a copy: the writer may reuse its buffer
      chunks.push(buffer);
      length += buffer.length;
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;
    res.once('close', () => {
      const complete = res.writableFinished && length <= MAX_BODY;
      const shared = complete ? sharedFor(res) : null;
      if (!shared) {
        this.recording.delete(key);
        return;
      }
      decoded(shared.encoding, Buffer.concat(chunks, length))
        .then((identity) => this.store(key, recordedAt, shared, identity))
        .catch(() => {}) // a failed (de)compression only means the next request records again
        .finally(() => this.recording.delete(key));
    });
  }

  private async store(key: string, recordedAt: number, shared: Shared, identity: Buffer) {
    // Photos and fonts are compressed already: they are sent as they are, whatever was asked.
    const [gz, br] = COMPRESSIBLE.test(String(shared.headers['content-type'] ?? ''))
      ? await Promise.all([
          gzip(identity, { level: 9 }),
          brotli(identity, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 10,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
            },
          }),
        ])
      : [null, null];
    // Compressed off the event loop, meanwhile the content may have changed: then it is already stale.
    if (!shared.immutable && recordedAt <= this.options.changedAt()) return;
    const etag = shared.etag ?? `"${createHash('sha1').update(identity).digest('base64url')}"`;
    const vary = [...shared.vary, 'Accept-Encoding'].join(', ');
    const base = { ...shared.headers, etag, vary };
    const head = (body: Buffer, encoding?: string): OutgoingHttpHeaders => ({
      ...base,
      ...(encoding ? { 'content-encoding': encoding } : {}),
      'content-length': body.length,
    });
    const notModified: OutgoingHttpHeaders = { ...base };
    delete notModified['content-type'];
    const plain = head(identity);
    const entry: Entry = {
      recordedAt,
      followsContent: !shared.immutable,
      expiresAt: recordedAt + shared.maxAgeMs,
      etag,
      bodies: { identity, gzip: gz ?? identity, br: br ?? identity },
      heads: { identity: plain, gzip: gz ? head(gz, 'gzip') : plain, br: br ? head(br, 'br') : plain },
      notModified,
      size: identity.length + (gz?.length ?? 0) + (br?.length ?? 0) + 2048,
    };
    this.remove(key);
    if (entry.size > this.maxBytes / 8) return;
    this.entries.set(key, entry);
    this.bytes += entry.size;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.size;
    this.entries.delete(key);
  }
}

type Shared = {
  headers: OutgoingHttpHeaders;
  /** How Next encoded what it wrote. */
  encoding: string;
  immutable: boolean;
  etag: string | undefined;
  vary: string[];
  maxAgeMs: number;
};

/** What to keep of a finished response when it may be shared with every anonymous reader; else null. */
function sharedFor(res: ServerResponse): Shared | null {
  if (res.statusCode !== 200 || res.hasHeader('set-cookie')) return null;
  const encoding = String(res.getHeader('content-encoding') ?? 'identity').toLowerCase();
  if (!DECODERS[encoding]) return null;
  const cacheControl = String(res.getHeader('cache-control') ?? '').toLowerCase();
  if (/(?:^|[\s,])(?:private|no-store|no-cache)\b/.test(cacheControl)) return null;
  const maxAge =
    /(?:^|[\s,])s-maxage=(\d+)/.exec(cacheControl) ?? /(?:^|[\s,])max-age=(\d+)/.exec(cacheControl);
  if (!maxAge || Number(maxAge[1]) <= 0) return null;
  const vary = String(res.getHeader('vary') ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (vary.some((name) => !VARY_ALLOWED.has(name.toLowerCase()))) return null;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(res.getHeaders()))
    if (value !== undefined && !NOT_KEPT.has(name)) headers[name] = value;
  if (headers['x-nextjs-cache'] !== undefined) headers['x-nextjs-cache'] = 'HIT';
  const etag = res.getHeader('etag');
  return {
    headers,
    encoding,
    immutable: /(?:^|[\s,])immutable\b/.test(cacheControl),
    etag: typeof etag === 'string' ? etag : undefined,
    vary: vary.filter((name) => name.toLowerCase() !== 'accept-encoding'),
    maxAgeMs: Number(maxAge[1]) * 1000,
  };
}

const DECODERS: Record<string, (body: Buffer) => Promise<Buffer>> = {
  identity: async (body) => body,
  gzip: promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};
const decoded = (encoding: string, body: Buffer) => DECODERS[encoding]!(body);

/** `If-None-Match` against one entity tag, by weak comparison (RFC 9110 §13.1.2). */
export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/** The encodings of ours an `Accept-Encoding` value accepts, best first (brotli, then gzip; identity last). */
export function acceptedEncodings(accept: string): Encoding[] {
  const q = new Map<string, number>();
  for (const part of accept.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const weight = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    q.set(name.trim(), weight ? Number(weight[1]) : 1);
  }
  const star = q.get('*');
  const weight = (name: string) => q.get(name) ?? star ?? (name === 'identity' ? 0.001 : 0);
  return (['br', 'gzip', 'identity'] as const)
    .filter((name) => weight(name) > 0)
    .sort((a, b) => weight(b) - weight(a));
}
