// `npm run bench:http` (node --import tsx scripts/bench/http.ts): throughput and latency of the
// built app under `next start` (production), measured with autocannon: 50 connections, no
// pipelining, BENCH_DURATION seconds (15) per URL, after warming each URL. Two phases, each with its
// own app and throwaway SQLite database:
//  1. The sample content (content/): the front page, a topic page and an article page, signed out.
//  2. /following, signed in: a generated corpus of 10,000 articles over 24 topics
//     (scripts/bench/corpus.ts, the generator of bench:content), a reader created with the app's own
//     createUser who follows 20 of the topics (followTopic) with read cursors at the 101st newest of
//     their articles, so ~100 items are new (unread counts, "new" markers); signed in over HTTP
//     (next-auth password provider), the session cookie sent on every request. The page is checked
//     first: 200, "Latest from your topics", the expected unread count. Also printed: the same
//     page with 1 connection (the render time without queueing) and the server's CPU per request.
// Budgets (httpBudget in budgets.ts): the article page's req/s and p99; /following's render p99 at
// the budget's topics and articles, measured with 1 connection (its figures at 50 connections are
// printed as information); both without errors or non-2xx answers (a redirect to /signin is one).
// Exits 1 on FAIL, 2 when the benchmark itself could not run.
//   BENCH_URLS=/,/topics/x   phase 1 paths (comma separated; default: front, topic, article)
//   BENCH_DURATION=15        seconds per URL
//   BENCH_WARMUP=5           seconds of the same load per URL before measuring, not counted: the
//                            first seconds of load on a fresh process (JIT, heap growth, the client
//                            itself) have a much worse p99 than the steady state a running site
//                            is in. Its figures are printed too. 0 turns it off.
//   BENCH_GZIP=1             send Accept-Encoding: gzip, br like a browser (default: autocannon's
//                            plain requests, no compression)
//   BENCH_FOLLOWING=1        1: both phases; 0: skip the /following phase; only: only that phase
//   BENCH_FOLLOWING_ARTICLES=10000  corpus size for /following (the budget applies to 10,000)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { corpusTopics, generate, type CorpusArticle } from './corpus';
import { httpBudget } from './budgets';
import {
  ARTICLE_PATH,
  FRONT_PATH,
  TOPIC_PATH,
  fetchText,
  loadWarning,
  machine,
  signIn,
  startApp,
  warm,
  watchGroupCpu,
  watchOtherLoad,
  withApp,
  withoutAppLog,
  type App,
} from './server';

const CONNECTIONS = 50;
const BUDGET = { path: ARTICLE_PATH, minRps: httpBudget.article.minRps, maxP99: httpBudget.article.maxP99Ms };
const FOLLOWING_PATH = '/following';
const FOLLOWING = {
  budgetArticles: httpBudget.following.articles,
  maxP99: httpBudget.following.maxP99Ms,
  topics: 24, // in the corpus
  followed: httpBudget.following.followedTopics, // by the reader: the first ones
  newItems: 100, // cursors at the (newItems + 1)th newest article in the followed topics
  expect: 'Latest from your topics',
};
const paths = (process.env.BENCH_URLS ?? [FRONT_PATH, TOPIC_PATH, ARTICLE_PATH].join(','))
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean)
  .map((p) => (p.startsWith('/') ? p : `/${p}`));
const duration = Number(process.env.BENCH_DURATION ?? 15);
if (!(duration > 0))
  throw new Error(`BENCH_DURATION must be a positive number of seconds, got "${process.env.BENCH_DURATION}"`);
const warmup = Number(process.env.BENCH_WARMUP ?? 5);
const headers: Record<string, string> =
  process.env.BENCH_GZIP === '1' ? { 'accept-encoding': 'gzip, deflate, br' } : {};
const followingMode = process.env.BENCH_FOLLOWING ?? '1';
if (!['0', '1', 'only'].includes(followingMode))
  throw new Error(`BENCH_FOLLOWING must be 0, 1 or only, got "${followingMode}"`);
const followingArticles = Number(process.env.BENCH_FOLLOWING_ARTICLES ?? FOLLOWING.budgetArticles);
if (!(Number.isInteger(followingArticles) && followingArticles > FOLLOWING.newItems))
  throw new Error(
    `BENCH_FOLLOWING_ARTICLES must be an integer > ${FOLLOWING.newItems}, got "${process.env.BENCH_FOLLOWING_ARTICLES}"`,
  );
const fmt = (n: number) => Math.round(n).toLocaleString('en');

function run(
  url: string,
  {
    seconds = duration,
    connections = CONNECTIONS,
    extraHeaders = {},
  }: { seconds?: number; connections?: number; extraHeaders?: Record<string, string> } = {},
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        pipelining: 1,
        duration: seconds,
        headers: { ...headers, ...extraHeaders },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** Warm-up run (not counted), then the measured run, with the other load and the server's CPU. */
type Measured = {
  result: autocannon.Result;
  otherPct: number | null;
  warm: autocannon.Result | null;
  cpuMsPerRequest: number | null;
};
type Row = Measured & { path: string; label: string; cache: string | null };

async function measure(
  url: string,
  label: string,
  pid: number,
  extraHeaders: Record<string, string> = {},
): Promise<Measured> {
  process.stdout.write(`> ${label} … `);
  let w: autocannon.Result | null = null;
  if (warmup > 0) {
    w = await run(url, { seconds: warmup, extraHeaders });
    process.stdout.write(
      `warm-up ${warmup} s: ${Math.round(w.requests.average)} req/s, p99 ${w.latency.p99} ms (not counted); measuring: `,
    );
  }
  const watch = watchOtherLoad([pid]);
  const cpu = watchGroupCpu(pid);
  const r = await run(url, { extraHeaders });
  const serverCpu = cpu.stop();
  const load = watch.stop();
  const bad = r.errors + r.timeouts + r.non2xx;
  console.log(
    `${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${bad ? `, ${bad} errors/non-2xx` : ''}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let the server settle between runs
  return {
    result: r,
    otherPct: load.otherPct,
    warm: w,
    cpuMsPerRequest: serverCpu === null || !r.requests.total ? null : (serverCpu * 1000) / r.requests.total,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase 1: the sample content, signed out
// ---------------------------------------------------------------------------------------------
async function samplePhase(): Promise<Row[]> {
  return withApp(async ({ url, pid }) => {
    console.log(
      `> next start on ${url} (pid ${pid}); ${CONNECTIONS} connections, ${duration} s per URL${headers['accept-encoding'] ? ', gzip' : ''}`,
    );
    // Warm up, as a running site would be: render once, wait for the page cache to hold the page,
    // then a burst to warm the JIT.
    const cache: Record<string, string | null> = {};
    for (const p of paths) {
      const html = await fetchText(url + p);
      if (!html.includes('</html>')) throw new Error(`GET ${p} did not return a full HTML page`);
      cache[p] = await warm(url + p, { extra: 200, headers });
    }
    const out: Row[] = [];
    for (const p of paths)
      out.push({ path: p, label: `\`${p}\``, cache: cache[p] ?? null, ...(await measure(url + p, p, pid)) });
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Phase 2: /following for a signed-in reader following 20 topics of a 10,000-article corpus
// ---------------------------------------------------------------------------------------------
let corpusDir: string | null = null;
const removeCorpus = () => {
  if (corpusDir) rmSync(corpusDir, { recursive: true, force: true });
  corpusDir = null;
};
process.on('exit', removeCorpus);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // server.ts kills the app on the same signals and leaves the exit to us.
  process.on(signal, () => {
    removeCorpus();
    process.exit(130);
  });
}

/** The app's own code for the reader, loaded only when the /following phase runs. */
async function importAppCode() {
  const [db, users, follows] = await Promise.all([
    import('../../lib/db/client'),
    import('../../lib/users/service'),
    import('../../lib/follows/service'),
  ]);
  return {
    openDatabase: db.openDatabase,
    createUser: users.createUser,
    signUpSchema: users.signUpSchema,
    followTopic: follows.followTopic,
  };
}
type AppCode = Awaited<ReturnType<typeof importAppCode>>;

/** The reader: account, follows and read cursors, written with the app's own code. */
async function makeReader(app: App, code: AppCode, articles: CorpusArticle[]) {
  const topics = [...corpusTopics(FOLLOWING.topics).keys()].slice(0, FOLLOWING.followed);
  const followed = new Set(topics);
  // The reader's stream, newest first, as buildFollowing (lib/follows/feed.ts) sees it.
  const stream = articles
    .filter((a) => a.topics.some((t) => followed.has(t)))
    .map((a) => ({ ...a, published: Date.parse(a.publishedAt) }))
    .sort((a, b) => b.published - a.published);
  const cursor = stream[FOLLOWING.newItems]!.published; // followingArticles > newItems, checked above
  const unread = stream.filter((a) => a.published > cursor).length;

  const handle = code.openDatabase({ dialect: 'sqlite', file: app.dbFile }, 1);
  try {
    const db = await handle.ready; // the app has migrated it already (/api/health pinged it)
    const password = `bench-${Date.now().toString(36)}-Correct-Horse-7`;
    const input = code.signUpSchema.parse({
      name: 'Bench Reader',
      email: `bench-reader-${Date.now().toString(36)}@example.com`,
      password,
    });
    const user = await withoutAppLog(() => code.createUser(db, input));
    const now = Date.now();
    for (const t of topics) await code.followTopic(db, user.id, t, now);
    // As if the reader had last read up to the cursor in every topic.
    await db.updateTable('follows').set({ seen_until: cursor }).where('user_id', '=', user.id).execute();
    return { email: input.email, password, topics, streamLength: stream.length, unread };
  } finally {
    await handle.db.destroy();
  }
}

async function followingPhase(): Promise<Row & { single: autocannon.Result; bytes: number }> {
  const code = await importAppCode();
  corpusDir = mkdtempSync(path.join(os.tmpdir(), 'dispatch-bench-following-'));
  let t0 = performance.now();
  const corpus = await generate(corpusDir, followingArticles, { topics: FOLLOWING.topics });
  console.log(
    `> generated ${fmt(followingArticles)} articles over ${FOLLOWING.topics} topics (${(corpus.bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s; starting the app on them…`,
  );
  t0 = performance.now();
  // Loading 10,000 articles takes ~25 s on an idle 2-core machine (bench:content); allow for load.
  const app = await startApp({ contentDir: corpusDir, timeoutMs: 300_000 });
  try {
    console.log(
      `> next start on ${app.url} (pid ${app.pid}), ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const reader = await makeReader(app, code, corpus.articles);
    const cookie = await signIn(app.url, reader.email, reader.password);
    const auth = { cookie };
    console.log(
      `> reader follows ${reader.topics.length} topics (${fmt(reader.streamLength)} articles in them), ${reader.unread} new; signed in`,
    );

    // Check the page before measuring it: a session that didn't work answers 307 to /signin.
    const url = app.url + FOLLOWING_PATH;
    const res = await fetch(url, { headers: auth, redirect: 'manual' });
    const html = await res.text();
    if (res.status !== 200)
      throw new Error(
        `GET ${FOLLOWING_PATH} signed in: HTTP ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}`,
      );
    if (!html.includes(FOLLOWING.expect) || !html.includes('</html>'))
      throw new Error(`GET ${FOLLOWING_PATH} signed in: no "${FOLLOWING.expect}" in the page`);
    // The "All topics" count (<Count n={data.unread} />), the first unread count on the page.
    const shown = Number(html.match(/class="unread-count">(\d+)(?:<!-- -->)? new</)?.[1]);
    if (shown !== reader.unread)
      throw new Error(`GET ${FOLLOWING_PATH}: the page shows ${shown} new, expected ${reader.unread}`);
    if (!html.includes('New since your last visit'))
      throw new Error(`GET ${FOLLOWING_PATH}: no "New since your last visit" marker`);

    const cache = await warm(url, { extra: 200, headers: { ...headers, ...auth } });
    const label = `\`${FOLLOWING_PATH}\` (signed in, ${reader.topics.length} topics, ${fmt(followingArticles)} articles, ${reader.unread} new)`;
    const row: Row = {
      path: FOLLOWING_PATH,
      label,
      cache,
      ...(await measure(url, FOLLOWING_PATH, app.pid, auth)),
    };

    // Without concurrency: what one render costs, no queueing behind 49 other requests.
    process.stdout.write(`> ${FOLLOWING_PATH}, 1 connection, 5 s … `);
    const single = await run(url, { seconds: 5, connections: 1, extraHeaders: auth });
    console.log(
      `${Math.round(single.requests.average)} req/s, p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms${single.non2xx + single.errors ? `, ${single.non2xx + single.errors} errors/non-2xx` : ''}`,
    );
    return { ...row, single, bytes: Buffer.byteLength(html) };
  } finally {
    await app.stop();
    removeCorpus();
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------
async function main() {
  const results = followingMode === 'only' ? [] : await samplePhase();
  const following = followingMode === '0' ? null : await followingPhase();
  if (following) results.push(following);

  console.log(`\n## HTTP benchmark — ${await machine()}`);
  console.log(
    `autocannon 9, ${CONNECTIONS} connections, pipelining 1, ${duration} s per URL after a ${warmup} s warm-up at the same load, \`next start\` (NODE_ENV=production, CONTENT_DIR=content${following ? `; ${FOLLOWING_PATH}: a generated corpus of ${fmt(followingArticles)} articles over ${FOLLOWING.topics} topics, a signed-in reader's session cookie` : ''})${headers['accept-encoding'] ? ', Accept-Encoding: gzip, deflate, br' : ', no Accept-Encoding (uncompressed)'}; load generator and server share the machine.\n`,
  );
  console.log(
    '| URL | req/s (avg) | p50 latency | p99 latency | max latency | requests | errors | timeouts | non-2xx | avg response | page cache | server CPU / request | other CPU load | warm-up (not counted) |',
  );
  console.log(
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  );
  for (const { label, result: r, otherPct, cache, warm: w, cpuMsPerRequest } of results) {
    const avgBytes = r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0;
    console.log(
      `| ${label} | ${Math.round(r.requests.average)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${r.requests.total} | ${r.errors} | ${r.timeouts} | ${r.non2xx} | ${(avgBytes / 1000).toFixed(1)} kB | ${cache ?? 'none'} | ${cpuMsPerRequest === null ? '?' : `${cpuMsPerRequest.toFixed(1)} ms`} | ${otherPct === null ? '?' : `${otherPct.toFixed(0)}%`} | ${w ? `${Math.round(w.requests.average)} req/s, p99 ${w.latency.p99} ms` : '—'} |`,
    );
  }
  if (following) {
    const s = following.single;
    console.log(
      `\n${FOLLOWING_PATH} with 1 connection (no queueing): ${Math.round(s.requests.average)} req/s, p50 ${s.latency.p50} ms, p99 ${s.latency.p99} ms, max ${s.latency.max} ms; page ${(following.bytes / 1000).toFixed(1)} kB.`,
    );
  }

  console.log(
    '\n(server CPU / request: CPU time of the app server’s processes during the measured run over the requests served. other CPU load: share of the machine’s CPU used by processes outside this benchmark during that run; a lower bound.)',
  );
  const busiest = Math.max(...results.map((x) => x.otherPct ?? 0));
  if (loadWarning(busiest)) console.log(loadWarning(busiest));

  console.log('\n### Budget');
  const checks = [];
  const noErrors = (p: string, r: autocannon.Result) => ({
    name: `${p} no errors, timeouts or non-2xx`,
    ok: r.errors + r.timeouts + r.non2xx === 0,
    value: `${r.errors + r.timeouts + r.non2xx}`,
  });
  const target = results.find((x) => x.path === BUDGET.path && x !== following);
  if (target) {
    const r = target.result;
    checks.push(
      {
        name: `${BUDGET.path} >= ${BUDGET.minRps} req/s`,
        ok: r.requests.average >= BUDGET.minRps,
        value: `${Math.round(r.requests.average)} req/s`,
      },
      {
        name: `${BUDGET.path} p99 <= ${BUDGET.maxP99} ms`,
        ok: r.latency.p99 <= BUDGET.maxP99,
        value: `${r.latency.p99} ms`,
      },
      noErrors(BUDGET.path, r),
    );
  } else if (followingMode !== 'only') {
    console.log(`(the article budget applies to ${BUDGET.path}, which was not in BENCH_URLS)`);
  }
  if (following && followingArticles === FOLLOWING.budgetArticles) {
    const r = following.result;
    const name = `${FOLLOWING_PATH} (${FOLLOWING.followed} topics, ${fmt(followingArticles)} articles)`;
    // "Renders in p99 <= 100 ms": one reader's render, without other readers' renders queued in
    // front of it (1 connection). The page is per reader and dynamic, so 50 at once queue on two
    // cores; that figure is printed too, as information.
    const s1 = following.single;
    checks.push(
      {
        name: `${name} render p99 <= ${FOLLOWING.maxP99} ms (1 connection)`,
        ok: s1.latency.p99 <= FOLLOWING.maxP99,
        value: `${s1.latency.p99} ms`,
      },
      noErrors(name, r),
      noErrors(`${name}, 1 connection`, s1),
    );
    console.log(
      `INFO  ${name} at ${CONNECTIONS} connections: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms (queueing behind other readers' renders)`,
    );
  } else if (following) {
    console.log(
      `(the ${FOLLOWING_PATH} budget applies to ${fmt(FOLLOWING.budgetArticles)} articles, not BENCH_FOLLOWING_ARTICLES=${followingArticles})`,
    );
  }
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`bench:http: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
});
