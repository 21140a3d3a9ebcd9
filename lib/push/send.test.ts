import { statSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { log } from '../log';
import { describeEachDatabase } from '../testing/each-database';
import { insertReader } from '../testing/factories';
import { metricValue } from '../testing/metrics';
import { isAllowedPushEndpoint, isPublicAddress } from './address';
import { startPushService, type TestPushService } from './push-service.mock';
import { deletePushSubscriptionSchema, pushSubscriptionSchemaFor } from './schema';
import {
  encodePayload,
  guardedLookup,
  PUSH_PAYLOAD_MAX_BYTES,
  sendPush,
  vapidSubject,
  type PushPayload,
} from './send';
import {
  countSubscriptions,
  deleteSubscription,
  MAX_SUBSCRIPTIONS_PER_READER,
  PUSH_CONCURRENCY,
  pushToUsers,
  saveSubscription,
} from './service';
import { loadVapidKeys } from './vapid';

const vapid = webpush.generateVAPIDKeys();
const options = { allowLocalEndpoints: true, vapid };
const payload: PushPayload = {
  title: 'Bridge reopens after flood – “key event”',
  body: 'Traffic is moving again on the A1. ✓',
  url: '/articles/bridge-reopens',
  tag: 'transport',
};

let service: TestPushService;
beforeAll(async () => {
  service = await startPushService();
});
afterAll(() => service.close());
afterEach(() => vi.restoreAllMocks());

/** Expected failures are logged; these tests check what, and keep the output clean. */
const quietLog = () => ({
  error: vi.spyOn(log, 'error').mockImplementation(() => undefined),
  warn: vi.spyOn(log, 'warn').mockImplementation(() => undefined),
  info: vi.spyOn(log, 'info').mockImplementation(() => undefined),
});

describe('sendPush', () => {
  it('delivers the payload encrypted for the browser (aes128gcm) and signed with our VAPID key', async () => {
    const sub = service.subscribe();
    const before = Math.floor(Date.now() / 1000);
    expect(await sendPush(sub, payload, options)).toBe('sent');
    const push = await service.waitFor((p) => p.id === sub.id);
    expect(push.error).toBeNull();
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers['content-type']).toBe('application/octet-stream');
    expect(push.headers.ttl).toBe(String(12 * 60 * 60));
    expect(push.headers.urgency).toBe('normal');
    expect(push.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(push.vapidKey).toBe(vapid.publicKey);
    expect(push.signatureValid).toBe(true);
    expect(push.claims?.aud).toBe(service.origin);
    expect(push.claims?.sub).toBe(vapidSubject());
    expect(push.claims?.exp).toBeGreaterThan(before);
    expect(push.claims?.exp).toBeLessThanOrEqual(before + 24 * 60 * 60);
    // What the service worker gets: the exact JSON we sent, readable only with the browser's keys.
    expect(push.payload).toEqual(payload);
  });

  it('says "gone" when the push service answers 410 or 404', async () => {
    for (const status of [410, 404]) {
      const sub = service.subscribe();
      service.answer(sub.id, status);
      expect(await sendPush(sub, payload, options)).toBe('gone');
    }
  });

  it('says "failed" on other answers and logs the origin only, never the endpoint path', async () => {
    const logs = quietLog();
    const sub = service.subscribe();
    service.answer(sub.id, 500);
    expect(await sendPush(sub, payload, options)).toBe('failed');
    expect(logs.error).toHaveBeenCalledOnce();
    const line = String(logs.error.mock.calls[0]![1]);
    expect(line).toContain(service.origin);
    expect(line).toContain('500');
    expect(line).not.toContain(sub.id);
  });

  it('counts each push by result (/metrics)', async () => {
    quietLog();
    const results = () =>
      Promise.all(
        ['sent', 'gone', 'failed'].map((result) => metricValue('dispatch_push_messages_total', { result })),
      );
    const before = await results();
    const [ok, gone, broken] = [service.subscribe(), service.subscribe(), service.subscribe()];
    service.answer(gone.id, 410);
    service.answer(broken.id, 500);
    expect([
      await sendPush(ok, payload, options),
      await sendPush(gone, payload, options),
      await sendPush(broken, payload, options),
    ]).toEqual(['sent', 'gone', 'failed']);
    expect((await results()).map((n, i) => n - before[i]!)).toEqual([1, 1, 1]);
  });

  it('says "failed" when the push service is unreachable or too slow', async () => {
    const logs = quietLog();
    const sub = service.subscribe();
    const closed = { ...sub, endpoint: 'http://127.0.0.1:9/push/nobody' };
    expect(await sendPush(closed, payload, options)).toBe('failed');
    expect(logs.error.mock.calls[0]![1]).not.toContain('nobody');
  });

  it('refuses endpoints the guard does not allow, without a request', async () => {
    const logs = quietLog();
    const sub = service.subscribe();
    const count = service.received.length;
    expect(await sendPush(sub, payload, { ...options, allowLocalEndpoints: false })).toBe('failed');
    expect(await sendPush({ ...sub, endpoint: 'https://10.0.0.1/push' }, payload, options)).toBe('failed');
    expect(service.received.length).toBe(count);
    expect(logs.warn).toHaveBeenCalledTimes(2);
  });

  it('refuses a host name that resolves inside our network when connecting', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(error?.message).toMatch(/public address/);
    const local = guardedLookup(true);
    const answer = await new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      local('127.0.0.1', { family: 4 }, (e, address) => resolve({ error: e, address })),
    );
    expect(answer).toEqual({ error: null, address: '127.0.0.1' });
  });

  it('keeps the payload small: long text is cut, the JSON stays under 3 KB', () => {
    const json = encodePayload({ title: 'T'.repeat(500), body: '€'.repeat(5_000), url: '/a', tag: 'x' });
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(PUSH_PAYLOAD_MAX_BYTES);
    const parsed = JSON.parse(json) as PushPayload;
    expect(Array.from(parsed.title)).toHaveLength(120);
    expect(parsed.title.endsWith('…')).toBe(true);
    expect(parsed.url).toBe('/a');
    expect(JSON.parse(encodePayload(payload))).toEqual(payload);
  });

  it('names the site (https) or its mail sender as the VAPID subject', () => {
    expect(vapidSubject('https://news.example.org', 'x')).toBe('https://news.example.org');
    expect(vapidSubject('http://localhost:3000', 'Dispatch <news@dispatch.test>')).toBe(
      'mailto:news@dispatch.test',
    );
    expect(vapidSubject('http://localhost:3000', 'ops@example.org')).toBe('mailto:ops@example.org');
    expect(vapidSubject('http://localhost:3000', 'Dispatch')).toBe('mailto:no-reply@localhost');
  });
});

describe('the endpoint guard (SSRF)', () => {
  const reject = [
    'http://push.example.org/x',
    'https://10.1.2.3/x',
    'https://127.0.0.1:8443/x',
    'https://0x7f.1/x',
    'https://2130706433/x',
    'https://[::1]/x',
    'https://[::ffff:10.0.0.1]/x',
    'https://[fd00::1]/x',
    'https://[fe80::1]/x',
    'https://localhost/x',
    'https://push.localhost/x',
    'https://169.254.169.254/latest/meta-data',
    'https://192.168.1.1/x',
    'https://172.16.0.1/x',
    'https://100.64.0.1/x',
    'https://0.0.0.0/x',
    'https://intranet/x',
    'https://user:pass@fcm.googleapis.com/x',
    'ftp://fcm.googleapis.com/x',
    'not a url',
  ];
  it.each(reject)('refuses %s', (endpoint) => {
    expect(isAllowedPushEndpoint(endpoint, false)).toBe(false);
    expect(isAllowedPushEndpoint(endpoint, true)).toBe(false);
  });

  it('accepts real push services', () => {
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/abc:def',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
      'https://web.push.apple.com/QGuQyavXutnMH',
      'https://8.8.8.8/x',
      'https://[2606:4700::1111]/x',
    ])
      expect(isAllowedPushEndpoint(endpoint, false), endpoint).toBe(true);
  });

  it('accepts http://127.0.0.1:<port> only with the flag (the test suite’s push service)', () => {
    expect(isAllowedPushEndpoint('http://127.0.0.1:4567/push/1', false)).toBe(false);
    expect(isAllowedPushEndpoint('http://127.0.0.1:4567/push/1', true)).toBe(true);
    expect(isAllowedPushEndpoint('http://localhost:4567/push/1', true)).toBe(false);
    expect(isAllowedPushEndpoint('http://10.0.0.1:4567/push/1', true)).toBe(false);
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2a00:1450:4001::200e')).toBe(true);
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.1.1',
      '::1',
      '::',
      '::ffff:8.8.8.8',
      '2002::1',
      'fc00::1',
      'x',
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
  });

  it('validates what the browser sends strictly', () => {
    const schema = pushSubscriptionSchemaFor(false);
    const sub = service.subscribe();
    const good = { ...sub, endpoint: 'https://fcm.googleapis.com/fcm/send/abc' };
    expect(schema.parse(good)).toEqual({ endpoint: good.endpoint, keys: sub.keys, expirationTime: null });
    expect(schema.safeParse({ ...good, expirationTime: undefined }).success).toBe(true);
    expect(schema.safeParse(sub).success).toBe(false); // http://127.0.0.1 without the flag
    expect(pushSubscriptionSchemaFor(true).safeParse(sub).success).toBe(true);
    const bad = [
      { ...good, endpoint: `https://fcm.googleapis.com/${'a'.repeat(1_000)}` },
      { ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(1) } },
      { ...good, keys: { ...good.keys, p256dh: 'A' + good.keys.p256dh.slice(1) } }, // not 0x04 first
      { ...good, keys: { ...good.keys, auth: good.keys.auth + 'A' } },
      { ...good, keys: { ...good.keys, auth: good.keys.auth.replace(/.$/, '=') } },
      { ...good, keys: { p256dh: good.keys.p256dh } },
      { ...good, expirationTime: 'soon' },
      { endpoint: good.endpoint },
      null,
      'https://fcm.googleapis.com/x',
    ];
    for (const input of bad) expect(schema.safeParse(input).success, JSON.stringify(input)).toBe(false);
    expect(deletePushSubscriptionSchema.safeParse({ endpoint: 'x'.repeat(1_001) }).success).toBe(false);
  });
});

describe('VAPID keys', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dispatch-vapid-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are generated into the file once (mode 0600), with a warning, and read back after', () => {
    const logs = quietLog();
    const file = path.join(dir, 'data', 'vapid.json');
    const first = loadVapidKeys({}, file);
    expect(first.publicKey).toMatch(/^[\w-]{87}$/);
    expect(first.privateKey).toMatch(/^[\w-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
    expect(logs.warn).toHaveBeenCalledOnce();
    expect(loadVapidKeys({}, file)).toEqual(first);
    expect(logs.warn).toHaveBeenCalledOnce();
  });

  it('replace a broken file', () => {
    const logs = quietLog();
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"publicKey":"x"}');
    expect(loadVapidKeys({}, file).publicKey).toMatch(/^[\w-]{87}$/);
    expect(logs.warn).toHaveBeenCalledTimes(2);
  });

  it('come from configuration when both are set, and a half or mismatched pair is an error', () => {
    const file = path.join(dir, 'unused.json');
    expect(loadVapidKeys(vapid, file)).toEqual(vapid);
    expect(() => loadVapidKeys({ publicKey: vapid.publicKey }, file)).toThrow(
      'Invalid configuration: VAPID_PRIVATE_KEY is required when VAPID_PUBLIC_KEY is set',
    );
    expect(() => loadVapidKeys({ privateKey: vapid.privateKey }, file)).toThrow(
      'Invalid configuration: VAPID_PUBLIC_KEY is required when VAPID_PRIVATE_KEY is set',
    );
    const other = webpush.generateVAPIDKeys();
    expect(() => loadVapidKeys({ publicKey: other.publicKey, privateKey: vapid.privateKey }, file)).toThrow(
      /not the public key/,
    );
  });
});

describeEachDatabase('push subscriptions', ({ db, test: maybe }) => {
  const endpointsOf = async (userId: string) =>
    (
      await db()
        .selectFrom('push_subscriptions')
        .select('endpoint')
        .where('user_id', '=', userId)
        .orderBy('endpoint')
        .execute()
    ).map((r) => r.endpoint);
  const send = (s: Parameters<typeof sendPush>[0], p: PushPayload) => sendPush(s, p, options);

  maybe('pushes to every browser of the users told, and forgets the one that is gone', async () => {
    quietLog();
    const [ada, bo, cy] = [await insertReader(db()), await insertReader(db()), await insertReader(db())];
    const [a1, a2, b1, c1] = [
      service.subscribe(),
      service.subscribe(),
      service.subscribe(),
      service.subscribe(),
    ];
    await saveSubscription(db(), ada.id, a1);
    await saveSubscription(db(), ada.id, a2);
    await saveSubscription(db(), bo.id, b1);
    await saveSubscription(db(), cy.id, c1);
    service.answer(a2.id, 410);

    const counts = await pushToUsers(db(), [ada.id, bo.id, ada.id], payload, send);
    expect(counts).toEqual({ subscriptions: 3, sent: 2, gone: 1, failed: 0 });
    for (const s of [a1, b1]) expect((await service.waitFor((p) => p.id === s.id)).payload).toEqual(payload);
    expect(service.received.some((p) => p.id === c1.id)).toBe(false); // not told
    expect(await endpointsOf(ada.id)).toEqual([a1.endpoint]);
    expect(await endpointsOf(bo.id)).toEqual([b1.endpoint]);
    expect(await countSubscriptions(db(), cy.id)).toBe(1);
  });

  maybe('sends with bounded concurrency and counts failures', async () => {
    quietLog();
    const users = [await insertReader(db()), await insertReader(db())];
    for (let i = 0; i < 20; i++) await saveSubscription(db(), users[i % 2]!.id, service.subscribe());
    let inFlight = 0;
    let most = 0;
    let n = 0;
    const counts = await pushToUsers(
      db(),
      users.map((u) => u.id),
      payload,
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (++n === 3) throw new Error('boom');
        return n % 5 === 0 ? 'failed' : 'sent';
      },
    );
    expect(most).toBe(PUSH_CONCURRENCY);
    expect(counts.subscriptions).toBe(20);
    expect(counts.sent + counts.failed).toBe(20);
    expect(counts.failed).toBe(5);
    expect(await pushToUsers(db(), [], payload, send)).toEqual({
      subscriptions: 0,
      sent: 0,
      gone: 0,
      failed: 0,
    });
  });

  maybe(
    'saves per reader: upsert on the endpoint, reassigned when another reader takes the browser',
    async () => {
      const [ada, bo] = [await insertReader(db()), await insertReader(db())];
      const sub = service.subscribe();
      await saveSubscription(db(), ada.id, sub);
      await saveSubscription(db(), ada.id, sub);
      expect(await countSubscriptions(db(), ada.id)).toBe(1);
      const fresh = service.subscribe();
      await saveSubscription(db(), bo.id, { ...sub, keys: fresh.keys });
      expect(await countSubscriptions(db(), ada.id)).toBe(0);
      const row = await db()
        .selectFrom('push_subscriptions')
        .selectAll()
        .where('endpoint', '=', sub.endpoint)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ user_id: bo.id, p256dh: fresh.keys.p256dh, auth: fresh.keys.auth });

      // Deleting names the reader: Ada can't remove Bo's subscription.
      expect(await deleteSubscription(db(), ada.id, sub.endpoint)).toBe(false);
      expect(await countSubscriptions(db(), bo.id)).toBe(1);
      expect(await deleteSubscription(db(), bo.id, sub.endpoint)).toBe(true);
      expect(await countSubscriptions(db(), bo.id)).toBe(0);
    },
  );

  maybe(
    `keeps at most ${MAX_SUBSCRIPTIONS_PER_READER} browsers per reader, dropping the oldest`,
    async () => {
      const ada = await insertReader(db());
      const subs = Array.from({ length: MAX_SUBSCRIPTIONS_PER_READER + 2 }, () => service.subscribe());
      for (const [i, sub] of subs.entries()) await saveSubscription(db(), ada.id, sub, 1_000 + i);
      expect(await countSubscriptions(db(), ada.id)).toBe(MAX_SUBSCRIPTIONS_PER_READER);
      const kept = await endpointsOf(ada.id);
      expect(kept).not.toContain(subs[0]!.endpoint);
      expect(kept).not.toContain(subs[1]!.endpoint);
      expect(kept).toContain(subs.at(-1)!.endpoint);
    },
  );
});
