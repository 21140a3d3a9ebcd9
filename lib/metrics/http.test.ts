import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricValue } from '../testing/metrics';
import { installMetrics, routeOf } from './http';

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: http.Server) => new Promise((resolve) => server.close(resolve));

describe('routeOf', () => {
  it('groups paths into a small fixed set', () => {
    const cases: [string, string, Record<string, string>?, string?][] = [
      ['/', '/'],
      ['/?utm_source=x', '/'],
      ['/articles/some-story', '/articles/[slug]'],
      ['/topics/election-2026', '/topics/[topic]'],
      ['/topics/election-2026/page/3', '/topics/[topic]'],
      ['/topics', '/topics'],
      ['/topics/election-2026/rss.xml', 'feeds'],
      ['/feed.json', 'feeds'],
      ['/following/abc123/atom.xml', 'feeds'],
      ['/api/live?topics=a,b', '/api/live'],
      ['/api/replies/counts?articles=a', '/api/replies'],
      ['/api/articles/some-story/replies', '/api/replies'],
      ['/api/auth/callback/password', '/api/auth/*'],
      ['/api/health', '/api/health'],
      ['/api/topics/x/stream', '/api/topics/[topic]/stream'],
      ['/api/anything-else', '/api/*'],
      ['/_next/static/chunks/app.js', '/_next/static'],
      ['/_next/image?url=x', '/_next'],
      ['/media/2026/photo.webp', '/media'],
      ['/desk/edit/some-story', '/desk'],
      ['/signin/verify', '/signin'],
      ['/metrics', '/metrics'],
      ['/wp-login.php', 'other'],
      ['/articles/a/b/c', 'other'],
      ['/articles/some-story', 'action', { 'next-action': 'abc' }, 'POST'],
      ['/articles/some-story', '/articles/[slug]', { 'next-action': 'abc' }, 'GET'],
    ];
    for (const [url, route, headers = {}, method = 'GET'] of cases)
      expect([url, routeOf(method, url, headers)]).toEqual([url, route]);
  });
});

describe('installMetrics', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    installMetrics({ port: undefined });
    server = http.createServer((req, res) => {
      if (req.url === '/articles/missing') res.writeHead(404);
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 60);
      res.end('ok');
    });
    base = await listen(server);
  });
  afterAll(() => close(server));

  it('counts each request of a node:http server by route and status, and times it', async () => {
    const ok = { route: '/articles/[slug]', status: '200' };
    const missing = { route: '/articles/[slug]', status: '404' };
    const before = [
      await metricValue('dispatch_http_requests_total', ok),
      await metricValue('dispatch_http_requests_total', missing),
    ];
    const timed = await metricValue('dispatch_http_request_duration_seconds_count', {
      route: '/articles/[slug]',
      status_class: '2xx',
    });
    await (await fetch(`${base}/articles/a-story`)).text();
    await (await fetch(`${base}/articles/another`)).text();
    await (await fetch(`${base}/articles/missing`)).text();
    expect(await metricValue('dispatch_http_requests_total', ok)).toBe(before[0]! + 2);
    expect(await metricValue('dispatch_http_requests_total', missing)).toBe(before[1]! + 1);
    expect(
      await metricValue('dispatch_http_request_duration_seconds_count', {
        route: '/articles/[slug]',
        status_class: '2xx',
      }),
    ).toBe(timed + 2);
  });

  it('times a request until its response is finished', async () => {
    const sum = () => metricValue('dispatch_http_request_duration_seconds_sum', { route: 'other' });
    const before = await sum();
    await (await fetch(`${base}/slow`)).text();
    expect((await sum()) - before).toBeGreaterThanOrEqual(0.05);
  });
});

describe('the METRICS_PORT listener', () => {
  const token = 'a-metrics-token-of-some-length';
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    server = installMetrics({ port: 0, token })!;
    await new Promise((resolve) => (server.listening ? resolve(null) : server.once('listening', resolve)));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await close(server);
    vi.restoreAllMocks();
  });

  it('serves /metrics on loopback, with the token when one is set', async () => {
    expect(server.address()).toMatchObject({ address: '127.0.0.1' });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE dispatch_http_requests_total counter');
    expect(text).toContain('process_cpu_seconds_total');
    expect((await fetch(`${base}/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});
