import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from './fixtures';

// Issue 15: what a spike of readers meets, on a server of its own (like shutdown.spec.ts) with a
// metrics token and a tiny cap on live streams.
const PORT = 3234;
const base = `http://127.0.0.1:${PORT}`;
const TOKEN = 'overload-spec-metrics-token-0123456789';
const ARTICLE = '/articles/amber-warning-river-auden-rising';

let server: ChildProcess;
test.beforeAll(async () => {
  test.setTimeout(60_000);
  server = spawn(process.execPath, ['e2e/serve.mjs'], {
    env: {
      ...process.env,
      E2E_INSTANCE: 'overload',
      E2E_PORT: String(PORT),
      E2E_SMTP_PORT: '2534',
      E2E_LIVE_MAX_AGE: '600',
      LIVE_STREAMS_MAX: '2',
      METRICS_TOKEN: TOKEN,
    },
    stdio: 'ignore',
  });
  await expect
    .poll(async () => (await fetch(`${base}/api/health/ready`).catch(() => null))?.status, {
      timeout: 45_000,
    })
    .toBe(200);
});
test.afterAll(() => {
  server.kill('SIGKILL');
});

async function cacheLookups(result: 'hit' | 'miss' | 'stale') {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const line = (await res.text())
    .split('\n')
    .find((l) => l.startsWith(`dispatch_response_cache_requests_total{result="${result}"}`));
  return Number(line?.split(' ')[1] ?? 0);
}

test('only anonymous reads without a query come from memory: never a signed-in reader’s or the router’s', async () => {
  // Recorded from Next, compressed, then answered from memory.
  await expect
    .poll(async () => {
      await fetch(`${base}${ARTICLE}`);
      return cacheLookups('hit');
    })
    .toBeGreaterThan(0);
  const hits = await cacheLookups('hit');
  expect((await fetch(`${base}${ARTICLE}`)).status).toBe(200);
  expect(await cacheLookups('hit')).toBe(hits + 1);

  for (const headers of [
    { cookie: 'next-auth.session-token=abc' },
    { cookie: 'theme=dark; __Secure-next-auth.session-token=abc' },
    { rsc: '1' },
    { 'next-router-prefetch': '1', rsc: '1' },
  ] as Record<string, string>[])
    expect((await fetch(`${base}${ARTICLE}`, { headers })).status, JSON.stringify(headers)).toBe(200);
  expect((await fetch(`${base}${ARTICLE}?from=newsletter`)).status).toBe(200);
  expect(await cacheLookups('hit')).toBe(hits + 1);
});

test('past LIVE_STREAMS_MAX a new live stream gets 503 with Retry-After, and a freed slot is taken again', async () => {
  const open = async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/live?topics=northport-flood-updates`, { signal: controller.signal });
    return { res, close: () => controller.abort() };
  };
  const first = await open();
  const second = await open();
  expect([first.res.status, second.res.status]).toEqual([200, 200]);
  const third = await open();
  expect(third.res.status).toBe(503);
  expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(5);
  expect(await third.res.json()).toMatchObject({ code: 'unavailable' });

  first.close();
  await expect
    .poll(async () => {
      const again = await open();
      again.close();
      return again.res.status;
    })
    .toBe(200);
  second.close();
});
