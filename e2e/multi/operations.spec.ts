// Run like production (issue 14): instances a and b behind nginx with deploy/nginx as-is, and the
// suite's own PostgreSQL and Redis (e2e/multi/services.ts), which these tests stop and start. The
// drain test stops instance b and starts it again, so it comes last.
import http from 'node:http';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { builtAction } from '../../lib/testing/server-actions';
import { INSTANCES, instanceEnv, MULTI_METRICS_TOKEN } from '../../playwright.multi.config';
import { NGINX_URL, spawnInstance, startPostgres, startRedis, stopPostgres, stopRedis } from './services';

const base = (name: keyof typeof INSTANCES) => `http://127.0.0.1:${INSTANCES[name].port}`;
const ARTICLE = '/articles/amber-warning-river-auden-rising';
const SLUG = ARTICLE.split('/').pop()!;

/** A new account, signed in through `origin` (an instance or nginx). */
async function signUp(page: Page, origin: string, who: string) {
  await page.goto(`${origin}/signup`);
  await page.getByLabel('Name').fill(who);
  await page.getByLabel('Email').fill(`${who.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.org`);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Posts a reply the way the browser's form does (the postReply server action), with the page's session. */
async function postReply(request: APIRequestContext, origin: string, body: string) {
  const { id } = builtAction('lib/replies/actions.ts', 'postReply');
  const res = await request.post(`${origin}${ARTICLE}`, {
    headers: {
      'next-action': id,
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin,
    },
    data: JSON.stringify([{ article: SLUG, parentId: null, body }]),
    failOnStatusCode: false,
  });
  const text = await res.text();
  return {
    status: res.status(),
    ok: res.status() === 200 && text.includes('"ok":true'),
    text: text.slice(0, 300),
  };
}

/** One Prometheus sample (summed over label sets that contain `labels`) from an instance's /metrics. */
async function metric(request: APIRequestContext, name: keyof typeof INSTANCES, sample: string, labels = '') {
  const res = await request.get(`${base(name)}/metrics`, {
    headers: { authorization: `Bearer ${MULTI_METRICS_TOKEN}` },
  });
  expect(res.status()).toBe(200);
  let sum = 0;
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === sample && (m[2] ?? '').includes(labels)) sum += Number(m[3]);
  }
  return sum;
}

test('Redis stopped for 30 s while replies are posted on A: a reader on B sees them all once it is back', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`${base('b')}${ARTICLE}`);
  await expect(reader.getByRole('heading', { name: /^\d+ Repl(y|ies)$/ })).toBeVisible();
  await reader.locator('section.replies').scrollIntoViewIfNeeded();
  await signUp(page, base('a'), 'Outage Writer');
  const published = await metric(page.request, 'a', 'dispatch_live_events_published_total');
  const accepted = await metric(page.request, 'a', 'dispatch_replies_accepted_total');

  await stopRedis();
  const texts: string[] = [];
  try {
    const until = Date.now() + 30_000;
    for (let i = 1; Date.now() < until; i++) {
      const text = `Posted on A while Redis is down #${i} ${Date.now()}`;
      const result = await postReply(page.request, base('a'), text);
      expect(result, result.text).toMatchObject({ ok: true }); // replies go to the database
      texts.push(text);
      await new Promise((r) => setTimeout(r, 5_000));
    }
    // Pages keep serving on both instances.
    for (const name of ['a', 'b'] as const)
      expect((await page.request.get(`${base(name)}${ARTICLE}`)).status()).toBe(200);
    await expect(reader.locator('section.replies article').filter({ hasText: texts[0]! })).toHaveCount(0);
  } finally {
    await startRedis();
  }
  const back = Date.now();
  for (const text of texts)
    await expect(reader.locator('section.replies article').filter({ hasText: text })).toBeVisible({
      timeout: 5_000,
    });
  const took = Date.now() - back;
  console.log(
    `Redis outage: ${texts.length} replies on A reached the reader on B ${took} ms after Redis was back`,
  );
  expect(took).toBeLessThan(2_000);
  expect(await metric(page.request, 'a', 'dispatch_live_events_published_total')).toBeGreaterThanOrEqual(
    published + texts.length,
  );
  expect(await metric(page.request, 'a', 'dispatch_replies_accepted_total')).toBe(accepted + texts.length);
  expect(await metric(page.request, 'a', 'dispatch_live_bus_outbox')).toBe(0);
  await reader.context().close();
});

test('PostgreSQL stopped: pages 200, database routes 503 with Retry-After, readiness stays up', async ({
  request,
}) => {
  test.setTimeout(90_000);
  const answered503 = await metric(request, 'a', 'dispatch_http_requests_total', 'status="503"');
  await stopPostgres();
  try {
    for (const path of ['/', '/topics/northport-flood-updates', ARTICLE])
      expect((await request.get(`${NGINX_URL}${path}`)).status(), path).toBe(200);
    for (const name of ['a', 'b'] as const) {
      const replies = await request.get(`${base(name)}/api/articles/${SLUG}/replies`);
      expect(replies.status()).toBe(503);
      expect(replies.headers()['retry-after']).toMatch(/^\d+$/);
      expect(await replies.json()).toMatchObject({ code: 'unavailable', message: expect.any(String) });
      const ready = await request.get(`${base(name)}/api/health/ready`);
      expect(ready.status()).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        database: 'down',
        instance: `multi-${name}`,
      });
      expect((await request.get(`${base(name)}/api/health`)).status()).toBe(503); // SPEC §8: the database
    }
    expect(await metric(request, 'a', 'dispatch_http_requests_total', 'status="503"')).toBeGreaterThan(
      answered503,
    );
  } finally {
    await startPostgres();
  }
  await expect
    .poll(async () => (await request.get(`${NGINX_URL}/api/articles/${SLUG}/replies`)).status(), {
      timeout: 20_000,
    })
    .toBe(200);
});

/** A live stream as a browser's EventSource keeps it: reconnects after `retry` with Last-Event-ID. */
class StreamReader {
  ids: string[] = [];
  replyEvents = 0;
  connects = 0;
  private lastId: string | null = null;
  private stopped = false;
  private req: http.ClientRequest | null = null;

  constructor(private readonly url: string) {
    this.connect();
  }

  private connect() {
    if (this.stopped) return;
    this.connects++;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.lastId) headers['last-event-id'] = this.lastId;
    let retry = 2_000;
    this.req = http.get(this.url, { headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        setTimeout(() => this.connect(), retry);
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | null = null;
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('data: ')) data = line.slice(6);
            else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
          }
          if (id) {
            this.lastId = id;
            this.ids.push(id);
            if ((JSON.parse(data) as { type: string }).type === 'reply.created') this.replyEvents++;
          }
        }
      });
      res.on('end', () => setTimeout(() => this.connect(), retry));
      res.on('error', () => undefined);
    });
    this.req.on('error', () => setTimeout(() => this.connect(), retry));
  }

  stop() {
    this.stopped = true;
    this.req?.destroy();
  }
}

test('SIGTERM on B under 50 streams and a reply load: nothing fails, every stream moves to A and misses nothing', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await signUp(page, base('a'), 'Drain Writer'); // its cookie is for 127.0.0.1, nginx's host too
  const streams = Array.from(
    { length: 50 },
    () => new StreamReader(`${NGINX_URL}/api/live?article=${SLUG}&topics=northport-flood-updates`),
  );
  const onB = () => metric(request, 'b', 'dispatch_live_streams_open');
  await expect
    .poll(async () => (await onB()) + (await metric(request, 'a', 'dispatch_live_streams_open')))
    .toBe(50);
  const onBBefore = await onB();
  expect(onBBefore).toBeGreaterThan(10); // least_conn spreads them

  // Load: one writer posting replies and readers loading pages, all through nginx.
  let stop = false;
  const posted: { ok: boolean; status: number; text: string }[] = [];
  const pages: number[] = [];
  const writer = (async () => {
    for (let i = 0; !stop; i++)
      posted.push(await postReply(page.request, NGINX_URL, `Drain load #${i} ${Date.now()}`));
  })();
  const readers = Array.from({ length: 4 }, async () => {
    while (!stop)
      pages.push((await request.get(`${NGINX_URL}${ARTICLE}`, { failOnStatusCode: false })).status());
  });
  await new Promise((r) => setTimeout(r, 2_000));

  const { pid } = (await (await request.get(`${base('b')}/api/health/live`)).json()) as { pid: number };
  const signalled = Date.now();
  process.kill(pid, 'SIGTERM');
  await expect
    .poll(async () => (await request.get(`${base('b')}/api/health/ready`).catch(() => null))?.status() ?? 0, {
      timeout: 5_000,
      intervals: [50],
    })
    .not.toBe(200); // not ready at once (503 while draining, then refused)
  await expect
    .poll(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  const exitedAfter = Date.now() - signalled;
  await new Promise((r) => setTimeout(r, 3_000)); // streams reconnect (retry 2 s) and catch up
  stop = true;
  await Promise.all([writer, ...readers]);
  await new Promise((r) => setTimeout(r, 1_500)); // the last reply's event reaches every stream

  const failed = posted.filter((p) => !p.ok);
  console.log(
    `drain: B exited ${exitedAfter} ms after SIGTERM; ${posted.length} replies posted (${failed.length} failed), ` +
      `${pages.length} page loads, ${onBBefore} of 50 streams were on B`,
  );
  expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);
  expect(pages.filter((s) => s !== 200)).toEqual([]);
  expect(await metric(request, 'a', 'dispatch_live_streams_open')).toBe(50);
  for (const stream of streams) {
    // Every acknowledged reply reached every stream exactly once, across the move (Last-Event-ID).
    expect(stream.replyEvents).toBe(posted.length);
    expect(new Set(stream.ids).size).toBe(stream.ids.length);
  }
  expect(streams.filter((s) => s.connects > 1).length).toBeGreaterThanOrEqual(onBBefore);

  // B starts again: nginx (least_conn) sends it the new streams, not one in two.
  const restarted = spawnInstance(instanceEnv('b'));
  try {
    await expect
      .poll(async () => (await request.get(`${base('b')}/api/health/ready`).catch(() => null))?.status(), {
        timeout: 60_000,
      })
      .toBe(200);
    // nginx left B out when it drained (max_fails=1) and takes it back after fail_timeout (5 s)
    // once a request to it completes, which page views do and a live stream never does.
    await new Promise((r) => setTimeout(r, 5_500));
    for (let i = 0; i < 6; i++) expect((await request.get(`${NGINX_URL}/`)).status()).toBe(200);
    const fresh = Array.from(
      { length: 20 },
      () => new StreamReader(`${NGINX_URL}/api/live?topics=northport-flood-updates`),
    );
    await expect.poll(() => onB()).toBeGreaterThanOrEqual(15);
    fresh.forEach((s) => s.stop());
  } finally {
    streams.forEach((s) => s.stop());
    restarted.kill('SIGTERM');
  }
});
