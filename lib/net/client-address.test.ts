import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consume, createLimiter } from '../rate-limit/limiter';
import {
  CLIENT_HEADER,
  clientIp,
  installClientAddressHook,
  parseTrustProxy,
  resolveClient,
  type TrustProxy,
} from './client-address';

describe('TRUST_PROXY', () => {
  it('parses none, hop counts, addresses, subnets and names, and refuses the rest', () => {
    expect(parseTrustProxy(undefined)).toEqual({ kind: 'none' });
    expect(parseTrustProxy('none')).toEqual({ kind: 'none' });
    expect(parseTrustProxy('2')).toEqual({ kind: 'hops', hops: 2 });
    const list = parseTrustProxy('10.0.0.0/8, ::1, loopback');
    expect(list.kind).toBe('list');
    expect(() => parseTrustProxy('true')).toThrow(/not a number of hops/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => parseTrustProxy('99')).toThrow(/at most 20/);
  });

  it('believes X-Forwarded-For only as far as trusted proxies appended it', () => {
    const none = parseTrustProxy('');
    const oneHop = parseTrustProxy('1');
    const local = parseTrustProxy('loopback,10.0.0.0/8');
    // No trust: the socket decides, whatever the header says.
    expect(resolveClient(none, '203.0.113.9', '1.2.3.4')).toEqual({ address: '203.0.113.9', proxied: false });
    // nginx's proxy_add_x_forwarded_for appends the peer it saw: "<whatever the client sent>, <client>".
    expect(resolveClient(oneHop, '127.0.0.1', '6.6.6.6, 203.0.113.9').address).toBe('203.0.113.9');
    expect(resolveClient(local, '::ffff:127.0.0.1', '6.6.6.6, 203.0.113.9, 10.1.2.3').address).toBe(
      '203.0.113.9',
    );
    // A client reaching the app directly is not a trusted proxy: its header is ignored.
    expect(resolveClient(local, '203.0.113.50', '10.0.0.1')).toEqual({
      address: '203.0.113.50',
      proxied: false,
    });
    // Garbage in the chain is skipped, not believed.
    expect(resolveClient(oneHop, '127.0.0.1', 'not-an-ip, 203.0.113.9').address).toBe('203.0.113.9');
  });
});

describe('the socket hook, on a real server', () => {
  let server: http.Server;
  let base = '';
  let rule: TrustProxy = { kind: 'none' };
  // Each request consumes a point of a 3-per-minute limit keyed on the client address, as the
  // sign-in, sign-up, magic-link and live-stream limits are.
  let limiter = createLimiter({ key: 'test-hook', points: 3, durationSeconds: 60 });

  beforeAll(async () => {
    installClientAddressHook(rule);
    server = http.createServer((req, res) => {
      void consume(limiter, clientIp(req.headers)).then((wait) => {
        res.writeHead(wait ? 429 : 200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            client: clientIp(req.headers),
            forwardedHost: req.headers['x-forwarded-host'] ?? null,
            forwardedFor: req.headers['x-forwarded-for'] ?? null,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = async (headers: Record<string, string>) => {
    const res = await fetch(base, { headers });
    return {
      status: res.status,
      ...((await res.json()) as { client: string; forwardedHost: string | null }),
    };
  };
  const useRule = (value: string) => {
    rule = parseTrustProxy(value);
    installClientAddressHook(rule);
    limiter = createLimiter({ key: `test-hook-${value}-${Date.now()}`, points: 3, durationSeconds: 60 });
  };

  it('without TRUST_PROXY a rotating X-Forwarded-For resets nothing', async () => {
    useRule('');
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const r = await call({ 'x-forwarded-for': `10.9.8.${i}`, 'x-forwarded-host': 'evil.example' });
      expect(r.client).toBe('127.0.0.1');
      expect(r.forwardedHost).toBeNull(); // a client's X-Forwarded-Host never reaches the origin check
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('a client cannot write the decided address itself', async () => {
    useRule('');
    const r = await call({ [CLIENT_HEADER]: 'forged 1.2.3.4' });
    expect(r.client).toBe('127.0.0.1');
  });

  it('with TRUST_PROXY=1 the address the proxy appended is the one limited', async () => {
    useRule('1');
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      // What the client wrote comes first; the proxy appended the real peer 203.0.113.7.
      const r = await call({
        'x-forwarded-for': `10.9.8.${i}, 203.0.113.7`,
        'x-forwarded-host': 'news.example',
      });
      expect(r.client).toBe('203.0.113.7');
      expect(r.forwardedHost).toBe('news.example'); // believed: it comes from the trusted proxy
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await call({ 'x-forwarded-for': '203.0.113.8' })).status).toBe(200); // another reader
  });

  it('requests the hook never saw count as one unverified client', () => {
    expect(clientIp({ [CLIENT_HEADER]: 'not-the-nonce 1.2.3.4' })).toBe('unverified');
    expect(clientIp(new Headers())).toBe('unverified');
  });
});
