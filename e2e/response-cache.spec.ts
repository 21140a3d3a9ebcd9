import type http from 'node:http';
import zlib from 'node:zlib';
import { topicMdx } from '../lib/testing/content';
import { rawRequest, type RawResponse } from '../lib/testing/raw-http';
import { E2E_BASE_URL } from './env';
import { expect, test } from './fixtures';

// Issue 15 item 1 (ADR 017): anonymous readers' pages answered from memory before Next, with
// Next's bytes and headers, compressed once; and never stale once a change's live event is out.

type Got = RawResponse;
/** A raw GET: the bytes as sent, not decompressed. */
const get = (path: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET') =>
  rawRequest(`${E2E_BASE_URL}${path}`, headers, method);
const text = (got: Got) =>
  (got.headers['content-encoding'] === 'br'
    ? zlib.brotliDecompressSync(got.body)
    : got.headers['content-encoding'] === 'gzip'
      ? zlib.gunzipSync(got.body)
      : got.body
  ).toString();

const SAME = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'x-frame-options',
  'permissions-policy',
  'cache-control',
  'content-type',
  'etag',
  'vary',
];

test('an article for an anonymous reader: the same page and headers as Next, brotli or gzip, and 304', async ({
  writeArticle,
}) => {
  const article = await writeArticle({ body: 'Answered from memory once it is recorded.' });
  await expect.poll(async () => (await get(article.url)).status).toBe(200);
  const fromNext = await get(article.url); // recorded here if the poll's request was not
  await new Promise((r) => setTimeout(r, 300)); // compressed off the event loop

  const br = await get(article.url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
  const gzip = await get(article.url, { 'accept-encoding': 'gzip' });
  const plain = await get(article.url);
  expect(br.headers['content-encoding']).toBe('br');
  expect(gzip.headers['content-encoding']).toBe('gzip');
  for (const got of [br, gzip, plain]) {
    expect(got.status).toBe(200);
    expect(text(got)).toBe(text(fromNext));
    expect(Number(got.headers['content-length'])).toBe(got.body.length);
    for (const name of SAME) expect(got.headers[name], name).toBe(fromNext.headers[name]);
    expect(got.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(text(br)).toContain('Answered from memory once it is recorded.');

  const notModified = await get(article.url, { 'if-none-match': String(fromNext.headers.etag) });
  expect(notModified.status).toBe(304);
  expect(notModified.body.length).toBe(0);
  const head = await get(article.url, { 'accept-encoding': 'br' }, 'HEAD');
  expect([head.status, head.body.length, Number(head.headers['content-length'])]).toEqual([
    200,
    0,
    br.body.length,
  ]);
});

test('a changed file is never served from memory once its live event is out', async ({
  writeFile,
  writeArticle,
}) => {
  const topic = `e2e-cache-${Date.now().toString(36)}`;
  await writeFile(`topics/${topic}.mdx`, topicMdx(`Cached ${topic}`, 'live: true\n'));
  await expect.poll(async () => (await get(`/topics/${topic}`)).status).toBe(200);
  for (let i = 0; i < 3; i++) await get(`/topics/${topic}`); // recorded, then from memory

  const events = new AbortController();
  const stream = await fetch(`${E2E_BASE_URL}/api/live?topics=${topic}`, { signal: events.signal });
  const reader = stream.body!.getReader();
  const heard = (async () => {
    let seen = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return seen;
      seen += new TextDecoder().decode(value);
      if (seen.includes('content.created')) return seen;
    }
  })();
  try {
    const update = await writeArticle({ topics: [topic], kind: 'update' });
    expect(await heard).toContain(update.slug);
    // The very first request after the event, in any encoding, has the update.
    expect(text(await get(`/topics/${topic}`, { 'accept-encoding': 'br' }))).toContain(update.title);
    expect(text(await get(`/topics/${topic}`))).toContain(update.title);
  } finally {
    events.abort();
  }
});
