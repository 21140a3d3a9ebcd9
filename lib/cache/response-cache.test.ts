import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { rawRequest } from '../testing/raw-http';
import { acceptedEncodings, etagMatches, ResponseCache } from './response-cache';

// A stand-in for Next behind the cache: what it answers is set per path by each test, and it counts
// the requests that reach it.
type Answer = {
  status?: number;
  headers?: http.OutgoingHttpHeaders;
  body: string;
  chunks?: number;
  gzip?: boolean;
  /** Runs while "rendering". */
  during?: () => void;
};
const answers = new Map<string, Answer>();
let reachedNext: { url: string; acceptEncoding: string | undefined }[] = [];
let changedAt = 0;
let now = 1_000_000;
let cache: ResponseCache;
let server: http.Server;
let base: string;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 's-maxage=60, stale-while-revalidate=31535940',
  'content-security-policy': "default-src 'self'",
  'x-content-type-options': 'nosniff',
  vary: 'rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch, Accept-Encoding',
  etag: '"abc123"',
  'x-nextjs-cache': 'MISS',
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('x-request-id', 'r1'); // as lib/net/http-hook.ts does before any responder
    if (cache.respond(req, res)) return;
    reachedNext.push({ url: req.url!, acceptEncoding: req.headers['accept-encoding'] });
    const answer = answers.get(req.url!.split('?')[0]!) ?? { status: 404, body: 'not found' };
    answer.during?.();
    if (answer.gzip) {
      // Next compresses per request when the reader accepts it (its `compression` middleware).
      res.writeHead(200, { ...PAGE_HEADERS, 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(answer.body));
      return;
    }
    res.writeHead(answer.status ?? 200, answer.headers ?? PAGE_HEADERS);
    // Written in pieces, as Next streams a page.
    const pieces = answer.chunks ?? 3;
    const size = Math.ceil(answer.body.length / pieces);
    for (let i = 0; i < pieces - 1; i++) res.write(answer.body.slice(i * size, (i + 1) * size));
    res.end(Buffer.from(answer.body.slice((pieces - 1) * size)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  answers.clear();
  reachedNext = [];
  changedAt = 500_000;
  now = 1_000_000;
  cache = new ResponseCache({
    changedAt: () => changedAt,
    sessionCookies: ['next-auth.session-token', '__Secure-next-auth.session-token'],
    now: () => now,
  });
});

const request = (path: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET') =>
  rawRequest(`${base}${path}`, headers, method);

const ARTICLE = '<!doctype html><title>Flood</title>' + '<p>The river rose in the night.</p>'.repeat(300);

async function cached(path: string) {
  await request(path, { 'accept-encoding': 'gzip, deflate, br' });
  await vi.waitFor(() => expect(cache.size).toBeGreaterThan(0));
}

describe('ResponseCache', () => {
  it('records a shared page from Next once, then answers it with the same headers, compressed once', async () => {
    answers.set('/articles/flood', { body: ARTICLE });
    const first = await request('/articles/flood', { 'accept-encoding': 'gzip, br' });
    expect(reachedNext).toEqual([{ url: '/articles/flood', acceptEncoding: 'gzip, br' }]);
    expect(first.body.toString()).toBe(ARTICLE);
    await vi.waitFor(() => expect(cache.size).toBe(1));

    const br = await request('/articles/flood', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    const gz = await request('/articles/flood', { 'accept-encoding': 'gzip' });
    const plain = await request('/articles/flood');
    expect(reachedNext).toHaveLength(1);
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(ARTICLE);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(ARTICLE);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(ARTICLE);
    for (const got of [br, gz, plain]) {
      expect(got.status).toBe(200);
      expect(Number(got.headers['content-length'])).toBe(got.body.length);
      expect(got.headers['content-security-policy']).toBe("default-src 'self'");
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['cache-control']).toBe(PAGE_HEADERS['cache-control']);
      expect(got.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(got.headers.etag).toBe('"abc123"');
      expect(got.headers.vary).toBe(PAGE_HEADERS.vary);
      expect(got.headers['x-nextjs-cache']).toBe('HIT');
    }
    expect(br.body.length).toBeLessThan(gz.body.length);
  });

  it('keeps what Next compressed, decompressed once', async () => {
    answers.set('/topics/flood', { body: ARTICLE, gzip: true });
    const first = await request('/topics/flood', { 'accept-encoding': 'gzip' });
    expect(zlib.gunzipSync(first.body).toString()).toBe(ARTICLE);
    await vi.waitFor(() => expect(cache.size).toBe(1));
    const plain = await request('/topics/flood');
    const br = await request('/topics/flood', { 'accept-encoding': 'br' });
    expect(plain.body.toString()).toBe(ARTICLE);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(ARTICLE);
    expect(reachedNext).toHaveLength(1);
  });

  it('sends what is compressed already (a photo) as it is', async () => {
    const photo = Buffer.alloc(5000, 7).toString('latin1');
    answers.set('/media/a.jpg', {
      body: photo,
      headers: { 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=31536000, immutable' },
    });
    await cached('/media/a.jpg');
    const got = await request('/media/a.jpg', { 'accept-encoding': 'gzip, br' });
    expect(got.headers['content-encoding']).toBeUndefined();
    expect(got.body.toString('latin1')).toBe(photo);
    expect(reachedNext).toHaveLength(1);
  });

  it('answers 304 to a matching If-None-Match, and HEAD without a body', async () => {
    answers.set('/', { body: ARTICLE });
    await cached('/');
    const notModified = await request('/', { 'if-none-match': 'W/"abc123"', 'accept-encoding': 'gzip' });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers.etag).toBe('"abc123"');
    expect(notModified.headers['content-security-policy']).toBe("default-src 'self'");
    expect((await request('/', { 'if-none-match': '"other"' })).status).toBe(200);

    const head = await request('/', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(zlib.gzipSync(ARTICLE, { level: 9 }).length);
    expect(reachedNext).toHaveLength(1);
  });

  it('never answers from a page recorded before the content last changed', async () => {
    answers.set('/topics/flood', { body: 'old' });
    await cached('/topics/flood');
    changedAt = now; // a file changed (in the same millisecond as the recording, even)
    answers.set('/topics/flood', { body: 'new' });
    expect((await request('/topics/flood')).body.toString()).toBe('new');
    expect(reachedNext).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(cache.size).toBe(0); // recorded in the millisecond of the change: not trusted
    now += 1;
    await cached('/topics/flood');
    expect(reachedNext).toHaveLength(3);
    expect((await request('/topics/flood')).body.toString()).toBe('new');
    expect(reachedNext).toHaveLength(3);
  });

  it('keeps what Next marks immutable (hashed scripts) across content changes', async () => {
    answers.set('/_next/static/chunks/app-1a2b.js', {
      body: 'console.log(1)',
      headers: {
        'content-type': 'application/javascript',
        'cache-control': 'public, max-age=31536000, immutable',
      },
    });
    await cached('/_next/static/chunks/app-1a2b.js');
    changedAt = now + 1;
    now += 2;
    await request('/_next/static/chunks/app-1a2b.js');
    expect(reachedNext).toHaveLength(1);
  });

  it('drops a recording when the content changed while it was being made', async () => {
    answers.set('/topics/flood', {
      body: ARTICLE,
      during: () => {
        changedAt = now + 1;
        now += 2;
      },
    });
    await request('/topics/flood');
    await new Promise((r) => setTimeout(r, 100)); // compression done
    expect(cache.size).toBe(0);
    await request('/topics/flood');
    expect(reachedNext).toHaveLength(2);
  });

  it('keeps a page no longer than Next’s s-maxage', async () => {
    answers.set('/feed.xml', {
      body: '<rss/>',
      headers: { 'content-type': 'application/rss+xml', 'cache-control': 'public, s-maxage=60' },
    });
    await cached('/feed.xml');
    now += 59_000;
    await request('/feed.xml');
    expect(reachedNext).toHaveLength(1);
    now += 1_000;
    await request('/feed.xml');
    expect(reachedNext).toHaveLength(2);
  });

  it.each([
    ['a signed-in reader', '/a', { cookie: 'theme=dark; next-auth.session-token=abc' }, PAGE_HEADERS],
    ['a signed-in reader over https', '/a', { cookie: '__Secure-next-auth.session-token=abc' }, PAGE_HEADERS],
    ['a query string', '/a?page=2', {}, PAGE_HEADERS],
    ['an RSC request of the client router', '/a', { rsc: '1' }, PAGE_HEADERS],
    ['a prefetch', '/a', { 'next-router-prefetch': '1' }, PAGE_HEADERS],
    ['a Range', '/a', { range: 'bytes=0-10' }, PAGE_HEADERS],
    ['a private response', '/a', {}, { ...PAGE_HEADERS, 'cache-control': 'private, no-cache, no-store' }],
    ['a response without a max-age', '/a', {}, { 'content-type': 'text/html' }],
    ['a response that sets a cookie', '/a', {}, { ...PAGE_HEADERS, 'set-cookie': 'a=b' }],
    ['a response that varies on the cookie', '/a', {}, { ...PAGE_HEADERS, vary: 'Cookie' }],
  ])('never keeps or answers for %s', async (_, path, headers, responseHeaders) => {
    answers.set('/a', { body: 'page', headers: responseHeaders });
    await request(path, headers);
    await request(path, headers);
    await new Promise((r) => setTimeout(r, 50));
    expect(reachedNext).toHaveLength(2);
  });

  it('never keeps an error, and a signed-in reader never gets the anonymous copy', async () => {
    answers.set('/b', { status: 500, body: 'boom' });
    await request('/b');
    await request('/b');
    expect(reachedNext).toHaveLength(2);
    answers.set('/c', { body: 'anonymous page' });
    await cached('/c');
    answers.set('/c', {
      body: 'page for a reader',
      headers: { ...PAGE_HEADERS, 'cache-control': 'private' },
    });
    const signedIn = await request('/c', { cookie: 'next-auth.session-token=abc' });
    expect(signedIn.body.toString()).toBe('page for a reader');
  });

  it('stays within its memory bound, dropping the least recently used', async () => {
    const body = 'x'.repeat(20_000);
    cache = new ResponseCache({
      changedAt: () => changedAt,
      sessionCookies: [],
      now: () => now,
      maxBytes: 200_000,
    });
    for (let i = 0; i < 12; i++) {
      answers.set(`/p${i}`, { body: body + i });
      await request(`/p${i}`);
      await new Promise((r) => setTimeout(r, 30)); // compressed and stored
    }
    // Each entry is ~20 kB plain + tiny compressed copies + 2 kB: about 9 fit in 200 kB.
    expect(cache.size).toBeLessThan(12);
    expect(cache.size).toBeGreaterThan(5);
    reachedNext = [];
    await request('/p11');
    expect(reachedNext).toHaveLength(0); // the newest stayed
    await request('/p0');
    expect(reachedNext).toHaveLength(1); // the oldest went
  });
});

describe('acceptedEncodings', () => {
  it.each([
    ['gzip, deflate, br, zstd', ['br', 'gzip', 'identity']],
    ['gzip', ['gzip', 'identity']],
    ['gzip;q=1.0, br;q=0.5', ['gzip', 'br', 'identity']],
    ['br;q=0, gzip', ['gzip', 'identity']],
    ['identity', ['identity']],
    ['*', ['br', 'gzip', 'identity']],
    ['identity;q=0, *;q=0', []],
  ])('%s', (header, expected) => {
    expect(acceptedEncodings(header)).toEqual(expected);
  });
});

describe('etagMatches', () => {
  it('compares weakly, in a list, and with *', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('"b", "a"', 'W/"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
  });
});
