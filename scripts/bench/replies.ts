// `npm run bench:replies`: posting replies through the real server action (lib/replies/actions.ts
// postReply) on the built app under `next start` (production, sample content, a throwaway SQLite
// database), the way the browser calls it: POST to the article page with `Next-Action: <id>` (read
// from .next/server/server-reference-manifest.json) and the arguments as a JSON array.
//  1. Writers: BENCH_WRITERS (50) accounts are created in the bench's database with the app's own
//     createUser (lib/users/service.ts), then each signs in over HTTP with next-auth's password
//     provider (signIn in server.ts), so every writer has its own session cookie. One reply
//     each is posted and checked to come back `"ok":true` first.
//  2. Reply → visible: headless Chromium on the article page, signed out, live stream open; then
//     BENCH_VISIBLE (20; after 1 uncounted warm-up) times a writer posts a reply with a unique marker
//     and we time from just before the POST (this process) to the animation frame in which the page
//     shows the marker (in the page); both are performance.timeOrigin + performance.now(), the same
//     machine clock, checked to agree. Budget (repliesBudget in budgets.ts): p95 (max printed too).
//  3. Throughput: the BENCH_WRITERS writers post concurrently, each in a loop, one request at a time,
//     every body unique (the same text to the same parent by the same author is deduplicated), for
//     BENCH_WARMUP seconds (5, not counted: JIT, heap growth) and then BENCH_DURATION seconds (15).
//     Counted: requests that started and ended inside the measured window; replies/s = replies
//     acknowledged (`"ok":true`) in it / its length. Budget: replies/s and p99 (repliesBudget), no
//     errors. Afterwards every acknowledged reply (all phases) must be stored: the replies API's
//     published count and the database's rows for the article must both equal the acknowledged count.
//     The writers are a closed loop, so mean latency = writers / throughput (Little's law): at 50
//     writers, 300 replies/s means 167 ms on average, and p99 <= 200 ms needs a good deal more.
// The app runs with REPLY_FLOOD_SECONDS=0: flood control (SPEC §5, default 15 s) would cap each writer
// at one reply per 15 s — 3.3 replies/s for 50 writers — and the budget measures what the action
// costs, not the rule. MODERATE_FIRST_REPLY=false (the default) so every reply is published.
//   BENCH_WRITERS=50      concurrent signed-in writers (one account, cookie and loop each)
//   BENCH_DURATION=15     measured seconds of load
//   BENCH_WARMUP=5        seconds of the same load before measuring, not counted (0 turns it off)
//   BENCH_VISIBLE=20      replies timed to visible in the browser (0 skips the browser parts)
//   BENCH_VISIBLE_AFTER=5 the same, after the load, on the thread it left (thousands of replies;
//                         reported, not budgeted); 0 skips it
//   BENCH_ARTICLE=slug    article to post to (default amber-warning-river-auden-rising)
//   BENCH_BREAKDOWN=1     then the same load on the same action stopped earlier, for where the time
//                         goes: signed out (Next's action dispatch; `unauthorized`), and signed in
//                         with an empty body (+ next-auth's session; `invalid`), each 3 s + up to
//                         10 s; server CPU per request for each (not budgeted)
// Ports 3500-3509. Run as `node --import tsx` (it uses lib/db/client.ts and lib/users/service.ts).
// The load generator runs in this process (node:http, keep-alive); its CPU is printed, as the
// server's, both share the machine's cores. Prints a markdown report; exits 1 on FAIL, 2 when the
// benchmark itself could not run.
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { builtAction } from '../../lib/testing/server-actions';
import { chromium, type Browser } from '@playwright/test';
import { openDatabase, type Db, type DbHandle } from '../../lib/db/client';
import { createUser } from '../../lib/users/service';
import { repliesBudget } from './budgets';
import {
  TICKS_PER_SECOND,
  clockSkew,
  listeningPid,
  loadWarning,
  machine,
  now,
  pct,
  procStat,
  root,
  signIn,
  startApp,
  warm,
  watchOtherLoad,
  withoutAppLog,
  type App,
  type ProcStat,
} from './server';

const PORTS = [3500, 3501, 3502, 3503, 3504, 3505, 3506, 3507, 3508, 3509];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTICLE = process.env.BENCH_ARTICLE ?? 'amber-warning-river-auden-rising';
const ARTICLE_PATH = `/articles/${ARTICLE}`;
const num = (name: string, fallback: number, min: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v < min)
    throw new Error(`${name} must be a number >= ${min}, got "${process.env[name]}"`);
  return v;
};
const WRITERS = num('BENCH_WRITERS', 50, 1);
const DURATION = num('BENCH_DURATION', 15, 1);
const WARMUP_S = num('BENCH_WARMUP', 5, 0);
const VISIBLE = num('BENCH_VISIBLE', 20, 0);
const BREAKDOWN = process.env.BENCH_BREAKDOWN === '1';
const BREAKDOWN_S = Math.min(DURATION, 10);
const VISIBLE_WARMUP = 1;
const VISIBLE_AFTER = num('BENCH_VISIBLE_AFTER', 5, 0);
const GAP_MS = 300; // between two visibility samples, so each is measured on a settled page
const BUDGET = {
  rps: repliesBudget.minRepliesPerSecond,
  p99: repliesBudget.maxP99Ms,
  visibleP95: repliesBudget.visibleP95Ms,
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const runId = Date.now().toString(36);
const ms = (x: number | undefined) =>
  x !== undefined && Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : Math.round(x)} ms` : '—';
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// ---------------------------------------------------------------------------------------------
// Cleanup: the browser, the database handle and the app (server.ts also kills the app's process
// group on exit and on signals).
// ---------------------------------------------------------------------------------------------
let app: App | null = null;
let browser: Browser | null = null;
let dbHandle: DbHandle | null = null;
async function cleanup() {
  await browser?.close().catch(() => undefined);
  browser = null;
  await dbHandle?.db.destroy().catch(() => undefined);
  dbHandle = null;
  await app?.stop().catch(() => undefined);
  app = null;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\nbench:replies: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// /proc: the server's pid and CPU
// ---------------------------------------------------------------------------------------------
const cpuTicks = (pid: number) => procStat(pid).ticks;
/** Process groups of every process started from this one (Chromium and its helpers): their CPU
 * is the benchmark's, not "other" load. */
function childGroups(): number[] {
  const parentOf = new Map<number, number>();
  const groupOf = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const { ppid, pgrp }: ProcStat = procStat(d);
      parentOf.set(Number(d), ppid);
      groupOf.set(Number(d), pgrp);
    } catch {
      /* gone */
    }
  }
  const groups = new Set<number>();
  for (const pid of parentOf.keys()) {
    for (let p = parentOf.get(pid); p; p = parentOf.get(p))
      if (p === process.pid) {
        groups.add(groupOf.get(pid)!);
        break;
      }
  }
  return [...groups];
}
/** CPU used by `pid` between start() and stop(), in % of one core. */
function watchCpu(pid: number): () => number {
  const t0 = performance.now();
  const c0 = cpuTicks(pid);
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    return ((cpuTicks(pid) - c0) / TICKS_PER_SECOND / seconds) * 100;
  };
}
/** Busy and steal ticks of the whole machine, from /proc/stat. */
function machineTicks(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return user + nice + system + irq + softirq + steal;
}
/**
 * CPU the rest of the machine used between start and stop, in % of all its cores: every busy tick
 * in /proc/stat (processes that exited meanwhile and the hypervisor's steal included, unlike
 * watchOtherLoad's per-process sum) minus the server's and this process's own.
 */
function watchMachine(serverPid: number): () => number {
  const t0 = performance.now();
  const m0 = machineTicks();
  const s0 = cpuTicks(serverPid);
  const o0 = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const own = process.cpuUsage(o0);
    const ours = cpuTicks(serverPid) - s0 + ((own.user + own.system) / 1e6) * TICKS_PER_SECOND;
    const other = Math.max(0, machineTicks() - m0 - ours);
    return (other / TICKS_PER_SECOND / seconds / os.cpus().length) * 100;
  };
}
function watchOwnCpu(): () => number {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return ((c.user + c.system) / 1000 / (performance.now() - t0)) * 100;
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS + 8 });

type Answer = { status: number | undefined; headers: http.IncomingHttpHeaders; text: string };

/** One request over the keep-alive agent; resolves to status, headers and body text. */
function request(
  base: string,
  method: string,
  pathname: string,
  headers: http.OutgoingHttpHeaders,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(pathname, base);
    const req = http.request(
      { agent, method, hostname: u.hostname, port: u.port, path: u.pathname + u.search, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The id of lib/replies/actions.ts#postReply in this build. */
function postReplyActionId(): string {
  const { id, workers } = builtAction('lib/replies/actions.ts', 'postReply', root);
  if (!workers.includes('app/articles/[slug]/page'))
    throw new Error(`postReply (${id}) is not bound to app/articles/[slug]/page`);
  return id;
}

type Outcome =
  | { ok: true; id: string; state: string | undefined; kind?: undefined; message?: undefined }
  | { ok: false; kind: string; message?: string };
/** One posted request: its outcome and when it was sent and answered (performance.now()). */
type Posted = Outcome & { t0: number; t1: number };
type Writer = { n: number; id: string; cookie: string };

/** What a server-action response says: ok with the reply's id and state, or the failure. */
function readResult(res: Answer): Outcome {
  if (res.status !== 200) return { ok: false, kind: `HTTP ${res.status}` };
  const ct = String(res.headers['content-type'] ?? '');
  if (!ct.startsWith('text/x-component')) return { ok: false, kind: `content-type ${ct || 'none'}` };
  const okAt = res.text.indexOf('"ok":true');
  if (okAt !== -1) {
    const id = res.text.slice(okAt).match(/"id":"([0-9a-f-]{36})"/)?.[1];
    const state = res.text.slice(okAt).match(/"state":"(\w+)"/)?.[1];
    return id ? { ok: true, id, state } : { ok: false, kind: 'ok without an id' };
  }
  const code = res.text.match(/"ok":false,"code":"(\w+)"/)?.[1];
  if (code)
    return { ok: false, kind: `ok:false ${code}`, message: res.text.match(/"message":"([^"]*)"/)?.[1] };
  return { ok: false, kind: 'no result in the response', message: res.text.slice(0, 200) };
}

let bodySeq = 0;
/** Posts one top-level reply as `writer` through the action (without the session cookie when
 * `signedIn` is false); never throws. */
async function postAs(
  base: string,
  actionId: string,
  writer: Writer,
  body: string,
  { signedIn = true }: { signedIn?: boolean } = {},
): Promise<Posted> {
  const args = JSON.stringify([{ article: ARTICLE, parentId: null, body }]);
  const t0 = performance.now();
  let result: Outcome;
  try {
    const res = await request(
      base,
      'POST',
      ARTICLE_PATH,
      {
        'next-action': actionId,
        'content-type': 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin: base,
        ...(signedIn ? { cookie: writer.cookie } : {}),
        'content-length': Buffer.byteLength(args),
      },
      args,
    );
    result = readResult(res);
  } catch (error) {
    result = { ok: false, kind: `network: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ...result, t0, t1: performance.now() };
}
const replyBody = (writer: Writer, label: string) =>
  `Bench reply ${runId} ${label} #${++bodySeq} from writer ${writer.n}: the river gauge at the old ` +
  `bridge read 4.2 m at noon, and the footpath by the weir is closed until further notice.`;

// ---------------------------------------------------------------------------------------------
// Writers: accounts created with the app's own code, signed in over HTTP
// ---------------------------------------------------------------------------------------------
async function makeWriters(base: string, db: Db): Promise<Writer[]> {
  const password = `bench-${runId}-Correct-Horse-7`;
  const users = await withoutAppLog(() =>
    Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        createUser(db, {
          name: `Bench Writer ${i + 1}`,
          email: `bench-writer-${runId}-${i + 1}@example.com`,
          password,
        }),
      ),
    ),
  );
  const writers: Writer[] = [];
  // One at a time: each sign-in is an argon2 verification on the server.
  for (const [i, u] of users.entries())
    writers.push({ n: i + 1, id: u.id, cookie: await signIn(base, u.email, password) });
  return writers;
}

// ---------------------------------------------------------------------------------------------
// 2. Reply → visible in another reader's browser
// ---------------------------------------------------------------------------------------------
async function visibility(
  base: string,
  actionId: string,
  writers: Writer[],
  acked: Set<string>,
  { count, warmupCount, label }: { count: number; warmupCount: number; label: string },
) {
  const page = await browser!.newPage();
  // The live event's `at` (the server's Date.now() when it published it) splits each sample.
  const events: number[] = [];
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Network.eventSourceMessageReceived', ({ data }) => {
    try {
      const event = JSON.parse(data) as { article?: string; type?: string; at: number };
      if (event.article === ARTICLE && event.type === 'reply.created') events.push(event.at);
    } catch {
      /* not an event */
    }
  });
  await cdp.send('Network.enable');
  const streamOpen = page.waitForResponse((r) => r.url().includes('/api/live'), { timeout: 20_000 });
  await page.goto(base + ARTICLE_PATH, { waitUntil: 'load' });
  await page.waitForFunction(
    () =>
      /^\d[\d,]* Repl(y|ies)$/.test(
        document.querySelector('section.replies #replies-title')?.textContent ?? '',
      ),
    null,
    { timeout: 60_000 },
  );
  const heading = await page.locator('section.replies #replies-title').textContent();
  await streamOpen;
  await sleep(500); // the stream's onOpen refetch

  const skew = await clockSkew(page);

  const samples: number[] = [];
  const acks: number[] = [];
  const toPublish: number[] = [];
  const warmup: number[] = [];
  const order: [number, number][] = [];
  for (let i = 0; i < warmupCount + count; i++) {
    const writer = writers[i % writers.length]!;
    const marker = `visible-${label}-${runId}-${i}`;
    const seen = page.waitForFunction(
      (m) => {
        const section = document.querySelector('section.replies');
        if (!section || !section.textContent?.includes(m)) return false;
        for (const p of section.querySelectorAll('p, li'))
          if (p.textContent?.includes(m) && p.checkVisibility())
            return performance.timeOrigin + performance.now();
        return false;
      },
      marker,
      { polling: 'raf', timeout: 30_000 },
    );
    await page.evaluate(() => 0); // CDP is ordered: the predicate is polling once this returns
    const nEvents = events.length;
    const t0 = now();
    const r = await postAs(base, actionId, writer, `${marker}: ${replyBody(writer, 'visible')}`);
    if (!r.ok) throw new Error(`visibility reply ${i}: ${r.kind} ${r.message ?? ''}`);
    acked.add(r.id);
    const shownAt = (await (await seen).jsonValue()) as number; // resolves on a truthy value only
    if (!(await page.getByText(marker).isVisible())) throw new Error(`getByText(${marker}) is not visible`);
    const at = events.slice(nEvents).find((a) => a >= t0 - 50);
    if (i < warmupCount) warmup.push(shownAt - t0);
    else {
      samples.push(shownAt - t0);
      acks.push(r.t1 - r.t0);
      if (at !== undefined) toPublish.push(at - t0);
      order.push([shownAt - t0, at === undefined ? NaN : at - t0]);
    }
    await sleep(GAP_MS);
  }
  const headingAfter = await page.locator('section.replies #replies-title').textContent();
  await page.close();
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  return {
    sorted: sort(samples),
    acks: sort(acks),
    toPublish: sort(toPublish),
    order,
    warmup,
    skew,
    heading,
    headingAfter,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Throughput: every writer in its own loop
// ---------------------------------------------------------------------------------------------
/**
 * Every writer sends `send(writer)` in a loop, one request at a time, for `warmupS` + `durationS`
 * seconds; requests that started and ended in the last `durationS` are counted. A result is a
 * success when `expected(result)`.
 */
async function load(
  writers: Writer[],
  send: (writer: Writer) => Promise<Posted>,
  {
    expected = (r) => r.ok,
    warmupS = WARMUP_S,
    durationS = DURATION,
    serverPid,
  }: { expected?: (r: Posted) => boolean; warmupS?: number; durationS?: number; serverPid: number },
) {
  const t0 = performance.now();
  const measureFrom = t0 + warmupS * 1000;
  const measureTo = measureFrom + durationS * 1000;
  const warm = { n: 0, lat: [] as number[], errors: 0 };
  const meas = {
    lat: [] as number[],
    // Keyed by the result's kind: undefined for an `ok` answer the variant did not expect.
    errors: new Map<string | undefined, number>(),
    samples: new Map<string | undefined, string>(),
    ok: 0,
  };
  type Watches = {
    cpu: () => number;
    own: () => number;
    other: ReturnType<typeof watchOtherLoad>;
    machine: () => number;
  };
  // Set by the timer below: TypeScript can't see that, hence the type on each read.
  let measuring = null as Watches | null;
  const appPid = app!.pid;
  const marks = setTimeout(
    () => {
      measuring = {
        cpu: watchCpu(serverPid),
        own: watchOwnCpu(),
        other: watchOtherLoad([serverPid, appPid]),
        machine: watchMachine(serverPid),
      };
    },
    Math.max(0, measureFrom - performance.now()),
  );
  const firstSecond: number[] = [];
  const loop = async (writer: Writer) => {
    while (performance.now() < measureTo) {
      const r = await send(writer);
      const good = expected(r);
      if (r.t0 >= measureFrom && r.t1 <= measureTo) {
        meas.lat.push(r.t1 - r.t0);
        if (good) meas.ok++;
        else {
          meas.errors.set(r.kind, (meas.errors.get(r.kind) ?? 0) + 1);
          if (!meas.samples.has(r.kind)) meas.samples.set(r.kind, r.message ?? '');
        }
      } else if (r.t1 <= measureFrom) {
        warm.n++;
        warm.lat.push(r.t1 - r.t0);
        if (!good) {
          warm.errors++;
          if (!meas.samples.has(r.kind)) meas.samples.set(r.kind, r.message ?? '');
        }
        if (r.t1 - t0 < 1000) firstSecond.push(r.t1 - r.t0);
      }
    }
  };
  await Promise.all(writers.map(loop));
  clearTimeout(marks);
  const serverCpu = measuring?.cpu() ?? NaN;
  const ownCpu = measuring?.own() ?? NaN;
  const other = measuring?.other.stop() ?? { otherPct: null, text: 'other load: not measured' };
  // The stricter of the two readings: /proc/stat also sees processes that came and went.
  const machineOther = measuring?.machine() ?? null;
  if (machineOther !== null && (other.otherPct === null || machineOther > other.otherPct)) {
    other.text = `${other.text}; by /proc/stat (short-lived processes and steal included) ≥ ${machineOther.toFixed(0)}%`;
    other.otherPct = machineOther;
  }
  const lat = meas.lat.sort((a, b) => a - b);
  const wl = warm.lat.sort((a, b) => a - b);
  const errors = [...meas.errors.values()].reduce((a, b) => a + b, 0);
  const rps = meas.ok / durationS;
  return {
    ok: meas.ok,
    errors,
    errorKinds: [...meas.errors.entries()],
    samples: [...meas.samples.entries()],
    rps,
    requests: lat.length,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    p99: pct(lat, 99),
    max: lat.at(-1) ?? NaN,
    warm: {
      n: warm.n,
      rps: warmupS ? (warm.n - warm.errors) / warmupS : NaN,
      p99: pct(wl, 99),
      errors: warm.errors,
    },
    firstSecondP99: pct(
      firstSecond.sort((a, b) => a - b),
      99,
    ),
    serverCpu,
    // Server CPU time per request (all requests in the window, successful or not).
    cpuMsPerRequest: (serverCpu * 10) / (lat.length / durationS),
    ownCpu,
    other,
  };
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const m = await machine();
  const started = await startApp({
    ports: PORTS,
    env: { REPLY_FLOOD_SECONDS: '0', MODERATE_FIRST_REPLY: 'false' },
  });
  app = started; // for cleanup()
  const { pid: serverPid } = listeningPid(started.port, started.pid);
  const actionId = postReplyActionId();
  console.log(`> next start on ${started.url} (server pid ${serverPid}); postReply action ${actionId}`);
  await warm(started.url + ARTICLE_PATH, { extra: 20 });

  // The database the app was started with (server.ts: .tmp/bench-data-<port>/bench.db); the app has
  // already migrated it (/api/health answered, which pings it).
  const handle = openDatabase({ dialect: 'sqlite', file: started.dbFile }, 1);
  dbHandle = handle;
  const db = await handle.ready;
  const before = await db
    .selectFrom('replies')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('article', '=', ARTICLE)
    .executeTakeFirstOrThrow();
  const storedBefore = Number(before.n);
  const repliesCount = (res: Answer) => (JSON.parse(res.text) as { count: number }).count;
  const apiBefore = repliesCount(await request(started.url, 'GET', `/api/articles/${ARTICLE}/replies`, {}));

  process.stdout.write(`> ${WRITERS} writers: accounts created and signed in … `);
  const tw = performance.now();
  const writers = await makeWriters(started.url, db);
  const acked = new Set<string>();
  // The first reply of each writer, one after the other: each must answer "ok":true.
  for (const w of writers) {
    const r = await postAs(started.url, actionId, w, replyBody(w, 'first'));
    if (!r.ok)
      throw new Error(`writer ${w.n}'s first reply was not acknowledged: ${r.kind} ${r.message ?? ''}`);
    acked.add(r.id);
  }
  console.log(`done in ${((performance.now() - tw) / 1000).toFixed(1)} s; each posted one reply ("ok":true)`);

  let vis = null;
  let loadA = null;
  if (VISIBLE > 0) {
    process.stdout.write(`> reply → visible: ${VISIBLE} replies (+${VISIBLE_WARMUP} warm-up) … `);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const watchA = watchOtherLoad([serverPid, started.pid, ...childGroups()]);
    vis = await visibility(started.url, actionId, writers, acked, {
      count: VISIBLE,
      warmupCount: VISIBLE_WARMUP,
      label: 'a',
    });
    loadA = watchA.stop();
    await browser.close();
    browser = null;
    console.log(
      `p50 ${ms(pct(vis.sorted, 50))}, p95 ${ms(pct(vis.sorted, 95))}, max ${ms(vis.sorted.at(-1))}`,
    );
  }

  process.stdout.write(`> load: ${WRITERS} writers, ${WARMUP_S} s warm-up + ${DURATION} s … `);
  const ld = await load(
    writers,
    async (w) => {
      const r = await postAs(started.url, actionId, w, replyBody(w, 'load'));
      if (r.ok) acked.add(r.id);
      return r;
    },
    { serverPid },
  );
  console.log(
    `${fmt(ld.rps)} replies/s, p50 ${ms(ld.p50)}, p99 ${ms(ld.p99)}, max ${ms(ld.max)}, ${ld.errors} errors`,
  );

  // Every acknowledged reply is stored, once.
  await sleep(200);
  const after = await db
    .selectFrom('replies')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('article', '=', ARTICLE)
    .executeTakeFirstOrThrow();
  const storedRows = Number(after.n) - storedBefore;
  const ids = await db.selectFrom('replies').select('id').where('article', '=', ARTICLE).execute();
  const idSet = new Set(ids.map((r) => r.id));
  const missing = [...acked].filter((id) => !idSet.has(id)).length;
  const acks = acked.size;
  const tApi = performance.now();
  const apiRes = await request(started.url, 'GET', `/api/articles/${ARTICLE}/replies`, {});
  const thread = {
    ms: performance.now() - tApi,
    bytes: Buffer.byteLength(apiRes.text),
    count: repliesCount(apiRes),
  };
  const apiCount = thread.count - apiBefore;

  // The same measurement on the thread the load left behind (not budgeted): every reply.created
  // makes each open page fetch and render the whole thread again.
  let visAfter = null;
  if (VISIBLE > 0 && VISIBLE_AFTER > 0) {
    process.stdout.write(
      `> reply → visible on the thread of ${fmt(thread.count)} replies: ${VISIBLE_AFTER} replies (+1 warm-up) … `,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    visAfter = await visibility(started.url, actionId, writers, acked, {
      count: VISIBLE_AFTER,
      warmupCount: 1,
      label: 'b',
    });
    await browser.close();
    browser = null;
    console.log(`p50 ${ms(pct(visAfter.sorted, 50))}, max ${ms(visAfter.sorted.at(-1))}`);
  }

  // Where the time goes: the same action, the same writers, stopped earlier on its way.
  const breakdown: { name: string; r: Awaited<ReturnType<typeof load>> }[] = [];
  if (BREAKDOWN) {
    const variants = [
      {
        name: 'signed out: framework + an empty session → `unauthorized`',
        send: (w: Writer) => postAs(started.url, actionId, w, replyBody(w, 'x'), { signedIn: false }),
        expected: (r: Posted) => r.kind === 'ok:false unauthorized',
      },
      {
        name: 'signed in, empty body: + the session (next-auth) → `invalid`',
        send: (w: Writer) => postAs(started.url, actionId, w, ''),
        expected: (r: Posted) => r.kind === 'ok:false invalid',
      },
    ];
    for (const v of variants) {
      process.stdout.write(`> breakdown: ${v.name} … `);
      const r = await load(writers, v.send, {
        expected: v.expected,
        warmupS: 3,
        durationS: BREAKDOWN_S,
        serverPid,
      });
      console.log(`${fmt(r.rps)} req/s, server CPU ${ms(r.cpuMsPerRequest)} per request`);
      breakdown.push({ name: v.name, r });
    }
  }
  const serverLog = started.output();
  await cleanup();

  // -------------------------------------------------------------------------------------------
  console.log(`\n## Replies benchmark — ${m}`);
  console.log(
    `\`next start\` (NODE_ENV=production, CONTENT_DIR=content, a fresh SQLite database: WAL, synchronous=FULL, BEGIN IMMEDIATE), REPLY_FLOOD_SECONDS=0, the \`postReply\` server action called as the browser calls it (POST ${ARTICLE_PATH}, Next-Action ${actionId}); ${WRITERS} accounts, each signed in with its own next-auth session cookie; the load generator (node:http, keep-alive) runs in the bench process, Chromium ${CHROMIUM} headless; everything shares the machine.\n`,
  );
  if (vis) {
    console.log(`### Reply posted → visible in another reader's open page (${ARTICLE_PATH}, signed out)\n`);
    console.log(
      `${VISIBLE} replies, one at a time, ${GAP_MS} ms apart, after ${VISIBLE_WARMUP} uncounted warm-up (${vis.warmup.map(ms).join(', ')}); the page showed "${vis.heading}" before, "${vis.headingAfter}" after. Timed from just before the POST (bench process) to the animation frame in which the page shows the text (in the page); clock agreement within ${Math.abs(vis.skew).toFixed(1)} ms.\n`,
    );
    console.log(
      '| replies | min | p50 | p95 | max | action answered (p50) | POST → server publishes the event (p50) |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| ${vis.sorted.length} | ${ms(vis.sorted[0])} | ${ms(pct(vis.sorted, 50))} | ${ms(pct(vis.sorted, 95))} | ${ms(vis.sorted.at(-1))} | ${ms(pct(vis.acks, 50))} | ${ms(pct(vis.toPublish, 50))} (${vis.toPublish.length} seen) |`,
    );
    console.log(
      `\nEach reply in order, POST → visible (→ published): ${vis.order.map(([v, p]) => `${Math.round(v)} (${Number.isFinite(p) ? Math.round(p) : '?'})`).join(', ')} ms.`,
    );
  }
  if (visAfter) {
    console.log(
      `\nAfter the load, on the thread it left (${fmt(thread.count)} replies; GET /api/articles/${ARTICLE}/replies signed out: ${(thread.bytes / 1e6).toFixed(1)} MB in ${ms(thread.ms)}), a fresh page ("${visAfter.heading}"), ${VISIBLE_AFTER} replies after 1 uncounted (${visAfter.warmup.map(ms).join(', ')}): POST → visible ${visAfter.order.map(([v]) => Math.round(v)).join(', ')} ms (p50 ${ms(pct(visAfter.sorted, 50))}, max ${ms(visAfter.sorted.at(-1))}; action answered p50 ${ms(pct(visAfter.acks, 50))}). Not budgeted: every reply.created makes each open page fetch and render the whole thread.`,
    );
  }
  console.log(`\n### Throughput: ${WRITERS} signed-in writers posting at once\n`);
  console.log(
    `Each writer posts its next reply as soon as the last one answered; ${DURATION} s measured after a ${WARMUP_S} s warm-up at the same load (${fmt(ld.warm.n)} requests, ${fmt(ld.warm.rps)} replies/s, p99 ${ms(ld.warm.p99)}; p99 in its first second ${ms(ld.firstSecondP99)}). Latency: request sent → response read, per request.\n`,
  );
  console.log(
    '| writers | replies/s | p50 | p95 | p99 | max | requests | errors | acknowledged = stored | server CPU | server CPU per reply | bench process CPU | other CPU load |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  const stored = storedRows === acks && apiCount === acks && missing === 0;
  console.log(
    `| ${WRITERS} | ${fmt(ld.rps)} | ${ms(ld.p50)} | ${ms(ld.p95)} | ${ms(ld.p99)} | ${ms(ld.max)} | ${fmt(ld.requests)} | ${ld.errors} | ${fmt(acks)} acknowledged, ${fmt(storedRows)} rows, API count ${fmt(apiCount)}${stored ? '' : ` — MISMATCH (${missing} acknowledged ids not stored)`} | ${ld.serverCpu.toFixed(0)}% | ${ms(ld.cpuMsPerRequest)} | ${ld.ownCpu.toFixed(0)}% | ${ld.other.otherPct === null ? '?' : `${ld.other.otherPct.toFixed(0)}%`} |`,
  );
  console.log(
    `\n(acknowledged: every reply of every phase answered "ok":true, distinct ids; rows: the article's rows in the database added during the run; API count: the published count from GET /api/articles/${ARTICLE}/replies. CPU in % of one core (${100 * os.cpus().length}% = the whole machine), over the measured window.)`,
  );
  if (breakdown.length) {
    console.log(
      `\n### Where the time goes: the same action stopped earlier (${WRITERS} writers, ${BREAKDOWN_S} s each after 3 s)\n`,
    );
    console.log('| request | req/s | p50 | p99 | server CPU | server CPU per request | other CPU load |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const rows = [...breakdown, { name: 'signed in, a reply: the whole `postReply` (above)', r: ld }];
    for (const { name, r } of rows)
      console.log(
        `| ${name} | ${fmt(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.serverCpu.toFixed(0)}% | ${ms(r.cpuMsPerRequest)} | ${r.other.otherPct === null ? '?' : `${r.other.otherPct.toFixed(0)}%`} |`,
      );
    for (const { name, r } of breakdown)
      if (r.errors)
        console.log(
          `\n${name}: ${r.errors} unexpected answers (${r.errorKinds.map(([k, n]) => `${n}× ${k}`).join(', ')})`,
        );
  }
  for (const [kind, n] of ld.errorKinds) console.log(`\nErrors: ${n}× ${kind}`);
  for (const [kind, sample] of ld.samples) if (sample) console.log(`  e.g. ${kind}: ${sample}`);
  if (ld.warm.errors) console.log(`\nErrors in the warm-up: ${ld.warm.errors}`);
  console.log(
    `\nOther load: ${loadA ? `visibility phase: ${loadA.text}; ` : ''}load phase: ${ld.other.text}.`,
  );
  const busiest = Math.max(loadA?.otherPct ?? 0, ld.other.otherPct ?? 0);
  if (loadWarning(busiest)) console.log(loadWarning(busiest));
  const serverErrors = serverLog.split('\n').filter((l) => /"level":"error"|SQLITE_|⨯|Error:/.test(l));
  if (serverErrors.length)
    console.log(
      `\nServer log errors (${serverErrors.length}):\n${serverErrors
        .slice(0, 5)
        .map((l) => `    ${l}`)
        .join('\n')}`,
    );

  const checks = [
    {
      name: `>= ${BUDGET.rps} replies/s at ${WRITERS} writers`,
      ok: ld.rps >= BUDGET.rps,
      value: `${fmt(ld.rps)} replies/s`,
    },
    { name: `p99 <= ${BUDGET.p99} ms`, ok: ld.p99 <= BUDGET.p99, value: ms(ld.p99) },
    {
      name: 'no errors under load',
      ok: ld.errors === 0 && ld.warm.errors === 0,
      value: `${ld.errors} (+${ld.warm.errors} in the warm-up)`,
    },
    {
      name: 'acknowledged replies = stored replies',
      ok: stored,
      value: `${acks} acknowledged, ${storedRows} rows, API ${apiCount}, ${missing} missing`,
    },
  ];
  if (vis)
    checks.push({
      name: `reply → visible p95 <= ${BUDGET.visibleP95} ms`,
      ok: pct(vis.sorted, 95) <= BUDGET.visibleP95,
      value: `${ms(pct(vis.sorted, 95))} (max ${ms(vis.sorted.at(-1))})`,
    });
  console.log('\n### Budget');
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main()
  .catch(async (error) => {
    console.error(
      `\nbench:replies: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    if (app) console.error(`--- server output (tail) ---\n${app.output().slice(-3000)}`);
    process.exitCode = 2;
  })
  .finally(cleanup);
