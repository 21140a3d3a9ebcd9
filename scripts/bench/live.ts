// `npm run bench:live`: live updates (SPEC §6) on the built app under `next start` (production),
// with CONTENT_DIR a fresh temporary copy of content/ so the benchmark can add files to it.
//  1. File → visible: headless Chromium on /topics/northport-flood-updates, stream connected; then
//     BENCH_LIVE_UPDATES times (20; after 1 uncounted warm-up) a new `kind: update` file is written
//     into CONTENT_DIR/articles/bench/ and we time until its headline (an h2 in .live-stream) is in
//     the page. Both ends are read as performance.timeOrigin + performance.now() — the test process
//     just before the write, the page in the waitForFunction predicate (polled every animation
//     frame) — which is the same machine clock; the script checks the two agree.
//     Budget (liveBudget in budgets.ts): p50 and p95.
//  2. Fan-out: a separate node process (scripts/bench/live-client.ts) opens BENCH_LIVE_STREAMS
//     (1000,5000; cumulative) SSE streams to /api/live?topics=northport-flood-updates on 127.0.0.1,
//     each with its own x-forwarded-for. Per step: server RSS (VmRSS of the next-server process)
//     before any stream and once all are connected and idle → kB per idle stream; server CPU over
//     15 s of idleness, one heartbeat period (utime+stime); then one file written → time until each
//     stream has the `data:` frame (Date.now() in both processes). It runs on a second, fresh server.
//     Budget at liveBudget.fanoutStreams: event p99, kB per stream, every stream connected and served.
// Ports 3400-3409 only. Run as `node --import tsx` (it reuses lib/testing/content.ts).
// Prints a markdown report; exits 1 on FAIL, 2 when the benchmark itself could not run. The server,
// the browser, the client process and the temporary directory are removed in every case.
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { buildArticleMdx } from '../../lib/testing/content';
import { liveBudget } from './budgets';
import type { ClientAnswer, ClientRequest } from './live-client';
import {
  TICKS_PER_SECOND,
  TOPIC_PATH,
  clockSkew,
  followLiveTopic,
  listeningPid,
  loadWarning,
  machine,
  nofile,
  now,
  pct,
  procStat,
  root,
  startApp,
  warm,
  watchOtherLoad,
  type App,
} from './server';

const PORTS = [3400, 3401, 3402, 3403, 3404, 3405, 3406, 3407, 3408, 3409];
const TOPIC = 'northport-flood-updates';
const LIVE_PATH = `/api/live?topics=${TOPIC}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UPDATES = Number(process.env.BENCH_LIVE_UPDATES ?? 20);
const WARMUP = 1;
const GAP_MS = 500; // pause between two updates, so each is measured on a settled page
const STEPS = (process.env.BENCH_LIVE_STREAMS ?? '1000,5000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const IDLE_SETTLE_MS = 2_000; // after the last stream connected, before reading RSS
// Idle CPU is read over one whole heartbeat period (lib/live/sse.ts HEARTBEAT_MS), so every stream
// sends exactly one heartbeat in it; a shorter window can fall between two rounds of heartbeats and
// read 0 ms.
const CPU_WINDOW_MS = 15_000;
const BUDGET = {
  p50: liveBudget.visibleP50Ms,
  p95: liveBudget.visibleP95Ms,
  fanoutN: liveBudget.fanoutStreams,
  fanoutP99: liveBudget.fanoutP99Ms,
  kbPerStream: liveBudget.maxKbPerStream,
};
if (STEPS.length === 0)
  throw new Error(`BENCH_LIVE_STREAMS must list stream counts, got "${process.env.BENCH_LIVE_STREAMS}"`);
if (!(UPDATES > 0))
  throw new Error(`BENCH_LIVE_UPDATES must be a positive number, got "${process.env.BENCH_LIVE_UPDATES}"`);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const runId = Date.now().toString(36);

// ---------------------------------------------------------------------------------------------
// Cleanup: whatever happens, the browser, the client process and the temp dir go (server.ts takes
// the app server's process group down on exit and on signals).
// ---------------------------------------------------------------------------------------------
let tmp: string | null = null;
let browser: Browser | null = null;
let client: ChildProcess | null = null;
let app: App | null = null;
async function cleanup() {
  await browser?.close().catch(() => undefined);
  browser = null;
  if (client && client.exitCode === null && client.signalCode === null) client.kill('SIGKILL');
  client = null;
  await app?.stop().catch(() => undefined);
  app = null;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = null;
}
process.on('exit', () => {
  if (client && client.exitCode === null) client.kill('SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\nbench:live: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// /proc readings
// ---------------------------------------------------------------------------------------------
function rssKb(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}
const cpuTicks = (pid: number) => procStat(pid).ticks;
const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Process groups of the Chromium processes this process started (their CPU is ours, not "other"). */
function chromiumGroups(): number[] {
  const groups = new Set<number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = procStat(Number(d));
      if (s.ppid === process.pid && /chrom/i.test(s.comm)) groups.add(s.pgrp);
    } catch {
      /* gone */
    }
  }
  return [...groups];
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
const ms = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${Math.round(x)} ms` : '—');

let seq = 0;
/** Writes one new update for TOPIC into CONTENT_DIR/articles/bench/; resolves to its slug and title. */
async function writeUpdate(contentDir: string, label: string) {
  const n = ++seq;
  const a = buildArticleMdx({
    slug: `bench-live-${runId}-${n}`,
    title: `Bench live ${label} ${runId} #${n}`,
    topics: [TOPIC],
    kind: 'update',
    folder: 'articles/bench',
    publishedAt: new Date(Date.now() - 1_000).toISOString(),
    body: `Benchmark update ${n}: written by scripts/bench/live.ts.`,
  });
  const file = path.join(contentDir, a.folder, `${a.slug}.mdx`);
  return { slug: a.slug, title: a.title, write: () => writeFile(file, a.source) };
}

type Waiting = {
  type: ClientAnswer['type'];
  resolve: (answer: ClientAnswer) => void;
  reject: (error: Error) => void;
};

/** The client process with a tiny request/answer protocol over IPC. */
function startClient() {
  const child = fork(path.join(root, 'scripts', 'bench', 'live-client.ts'), [], {
    // Only tsx's loader (the client is TypeScript), none of this process's other flags; it adds
    // to the load time, nothing once the client runs.
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: Waiting[] = [];
  child.on('message', (message) => {
    const msg = message as ClientAnswer;
    if (msg.type === 'error') {
      for (const w of waiting.splice(0)) w.reject(new Error(`client: ${msg.message}`));
      return;
    }
    const i = waiting.findIndex((w) => w.type === msg.type);
    if (i !== -1) waiting.splice(i, 1)[0]!.resolve(msg);
  });
  child.on('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`client process exited (${code ?? signal})`));
  });
  /** Sends `msg` and resolves to the client's first answer of type `answer`. */
  const ask = <T extends ClientAnswer['type']>(msg: ClientRequest, answer: T, timeoutMs = 120_000) =>
    new Promise<Extract<ClientAnswer, { type: T }>>((resolve, reject) => {
      const t = setTimeout(() => {
        const i = waiting.indexOf(w);
        if (i !== -1) waiting.splice(i, 1);
        reject(new Error(`client: no "${answer}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const w: Waiting = {
        type: answer,
        resolve: (v) => {
          clearTimeout(t);
          resolve(v as Extract<ClientAnswer, { type: T }>);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      };
      waiting.push(w);
      child.send(msg);
    });
  return { child, ask };
}

/** Opens one stream, reads `: connected`, closes it. */
async function warmStream(url: string): Promise<void> {
  const ctrl = new AbortController();
  const res = await fetch(url + LIVE_PATH, {
    signal: ctrl.signal,
    headers: { 'x-forwarded-for': '10.255.255.254' },
  });
  if (res.status !== 200) throw new Error(`GET ${LIVE_PATH}: HTTP ${res.status}`);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(': connected')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  ctrl.abort();
  await reader.cancel().catch(() => undefined);
  await sleep(200);
}

// ---------------------------------------------------------------------------------------------
// 1. File → visible in the browser
// ---------------------------------------------------------------------------------------------
async function latency(url: string, contentDir: string) {
  const page = await browser!.newPage();
  // The event's `at` (the server's Date.now() when it published it) splits each sample in two: the
  // server's part (watcher, debounce, rebuild) and the rest (SSE, refetch, render).
  const publishedAt = new Map<string, number>();
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Network.eventSourceMessageReceived', ({ data }) => {
    try {
      const event = JSON.parse(data) as { article?: string; at?: number };
      if (event.article && event.at !== undefined && !publishedAt.has(event.article))
        publishedAt.set(event.article, event.at);
    } catch {
      /* not an event */
    }
  });
  await cdp.send('Network.enable');
  await followLiveTopic(page, url + TOPIC_PATH);

  // The two clocks: the page's reading must fall between two of ours.
  const skew = await clockSkew(page);

  const samples: number[] = [];
  const pairs: [number, number][] = []; // [write → visible, write → publish] per update, in order
  const viaCdp: number[] = []; // the same, timed when waitForFunction resolved in this process
  const toPublish: number[] = []; // write → the server published the event
  const warmup: number[] = [];
  for (let i = 0; i < WARMUP + UPDATES; i++) {
    const u = await writeUpdate(contentDir, 'update');
    const seen = page.waitForFunction(
      (title) => {
        for (const h of document.querySelectorAll('.live-stream h2'))
          if (h.textContent === title) return performance.timeOrigin + performance.now();
        return false;
      },
      u.title,
      { polling: 'raf', timeout: 15_000 },
    );
    await page.evaluate(() => 0); // CDP is ordered: the predicate is polling once this returns
    const t0 = now();
    await u.write();
    const shownAt = (await (await seen).jsonValue()) as number; // resolves on a truthy value only
    const resolvedAt = now();
    if (i < WARMUP) warmup.push(shownAt - t0);
    else {
      samples.push(shownAt - t0);
      viaCdp.push(resolvedAt - t0);
      const at = publishedAt.get(u.slug);
      if (at !== undefined) toPublish.push(at - t0);
      pairs.push([shownAt - t0, at === undefined ? NaN : at - t0]);
    }
    await sleep(GAP_MS);
  }
  await browser!.close();
  browser = null;
  return {
    sorted: [...samples].sort((a, b) => a - b),
    viaCdp: [...viaCdp].sort((a, b) => a - b),
    toPublish: [...toPublish].sort((a, b) => a - b),
    pairs,
    warmup,
    skew,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Fan-out
// ---------------------------------------------------------------------------------------------
async function cpuOver(pid: number, windowMs: number) {
  const t0 = cpuTicks(pid);
  const s0 = performance.now();
  await sleep(windowMs);
  const ticks = cpuTicks(pid) - t0;
  const seconds = (performance.now() - s0) / 1000;
  return {
    cpuMs: (ticks / TICKS_PER_SECOND) * 1000,
    seconds,
    pct: (ticks / TICKS_PER_SECOND / seconds) * 100,
  };
}

type FanoutStep = {
  n: number;
  connected: number;
  openMs: number;
  failures: Record<string, number>;
  rss: number;
  fds: number;
  rssAfterIdle: number;
  kbPerStream: number;
  cpu: Awaited<ReturnType<typeof cpuOver>>;
  pings: number;
  received: number;
  open: number;
  closedByServer: number;
  toPublish: number;
  p50: number;
  p99: number;
  max: number;
  min: number;
  clientRssKb: number;
};

async function fanout(url: string, serverPid: number, contentDir: string) {
  const c = startClient();
  client = c.child;
  const hello = await c.ask({ type: 'hello' }, 'hello', 10_000);
  const serverLimit = nofile(serverPid);
  const need = Math.max(...STEPS) + 256;
  const limits = { client: hello.nofile, server: serverLimit, need };
  if (hello.nofile.soft < need || serverLimit.soft < need)
    throw new Error(
      `open-file limit too low for ${Math.max(...STEPS)} streams: client ${hello.nofile.soft}, server ${serverLimit.soft}, need ≥ ${need}; run \`ulimit -n ${need}\` (hard limit ${hello.nofile.hard}) first`,
    );

  await sleep(IDLE_SETTLE_MS);
  const rss0 = rssKb(serverPid);
  const fds0 = fdCount(serverPid);
  process.stdout.write(`> fan-out: server idle with no stream for ${CPU_WINDOW_MS / 1000} s … `);
  const cpu0 = await cpuOver(serverPid, CPU_WINDOW_MS);
  console.log(`CPU ${cpu0.pct.toFixed(1)}%`);
  const out = { limits, rss0, fds0, cpu0, clientPid: hello.pid, steps: [] as FanoutStep[] };

  let opened = 0;
  for (const n of STEPS) {
    process.stdout.write(`> fan-out: ${n} streams … `);
    const o = await c.ask({ type: 'open', url, path: LIVE_PATH, from: opened, to: n }, 'opened', 180_000);
    opened = n;
    await sleep(IDLE_SETTLE_MS);
    const rss = rssKb(serverPid);
    const fds = fdCount(serverPid);
    const s0 = await c.ask({ type: 'stats' }, 'stats');
    const cpu = await cpuOver(serverPid, CPU_WINDOW_MS);
    const s1 = await c.ask({ type: 'stats' }, 'stats');
    const rssAfterIdle = rssKb(serverPid);

    const u = await writeUpdate(contentDir, 'fanout');
    await c.ask({ type: 'arm', slug: u.slug }, 'armed');
    const tWrite = Date.now();
    await u.write();
    const got = await c.ask({ type: 'collect', timeoutMs: 15_000 }, 'collected', 30_000);
    const lat = got.arrivals.map((a) => a - tWrite).sort((a, b) => a - b);
    const step: FanoutStep = {
      n,
      connected: s0.open,
      openMs: o.ms,
      failures: o.failures,
      rss,
      fds,
      rssAfterIdle,
      kbPerStream: (rss - rss0) / n,
      cpu,
      pings: s1.pings - s0.pings,
      received: lat.length,
      open: got.open,
      closedByServer: got.closedByServer,
      toPublish: got.publishedAt === null ? NaN : got.publishedAt - tWrite,
      p50: pct(lat, 50),
      p99: pct(lat, 99),
      max: lat.at(-1) ?? NaN,
      min: lat[0] ?? NaN,
      clientRssKb: s1.rssKb,
    };
    out.steps.push(step);
    console.log(
      `${step.connected}/${n} connected in ${o.ms} ms; RSS ${rss0} → ${rss} kB (${step.kbPerStream.toFixed(1)} kB/stream); idle CPU ${cpu.pct.toFixed(1)}%; event to ${step.received}/${step.open}: p50 ${ms(step.p50)}, p99 ${ms(step.p99)}, max ${ms(step.max)}`,
    );
    await sleep(1_000);
  }
  await c.ask({ type: 'close' }, 'closed', 10_000).catch(() => undefined);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The clients stand in for readers behind a local proxy: each stream's X-Forwarded-For is believed
// only because the peer is loopback and TRUST_PROXY says so (lib/net/client-address.ts).
const SERVER_ENV = { NODE_ENV: 'production', TRUST_PROXY: 'loopback' };

async function main() {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dispatch-bench-live-'));
  const contentDir = path.join(tmp, 'content');
  cpSync(path.join(root, 'content'), contentDir, { recursive: true });
  await mkdir(path.join(contentDir, 'articles', 'bench'), { recursive: true });

  app = await startApp({ contentDir, env: SERVER_ENV, ports: PORTS });
  const { pid: serverPid, how } = listeningPid(app.port, app.pid);
  console.log(
    `> next start on ${app.url} (server pid ${serverPid}, found by ${how}); CONTENT_DIR=${contentDir}`,
  );
  await warm(app.url + TOPIC_PATH, { extra: 20 });

  process.stdout.write(`> file → visible: ${UPDATES} updates (+${WARMUP} warm-up) … `);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const watchA = watchOtherLoad([serverPid, ...chromiumGroups()]);
  const lat = await latency(app.url, contentDir);
  const loadA = watchA.stop();
  console.log(`p50 ${ms(pct(lat.sorted, 50))}, p95 ${ms(pct(lat.sorted, 95))}, max ${ms(lat.sorted.at(-1))}`);

  // The fan-out gets a server of its own, so its memory baseline doesn't carry the browser phase's
  // garbage (collected, or not, at some point during the fan-out).
  let serverLog = app.output();
  await app.stop();
  app = await startApp({ contentDir, env: SERVER_ENV, ports: PORTS });
  const fanServer = listeningPid(app.port, app.pid);
  console.log(`> fan-out: a fresh next start on ${app.url} (server pid ${fanServer.pid})`);
  await warm(app.url + TOPIC_PATH, { extra: 20 });
  await warmStream(app.url); // loads the route's code before the baseline
  const watchB = watchOtherLoad([fanServer.pid]);
  const fan = await fanout(app.url, fanServer.pid, contentDir);
  const loadB = watchB.stop();
  serverLog += app.output();
  await cleanup();

  // -------------------------------------------------------------------------------------------
  console.log(`\n## Live updates benchmark — ${await machine()}`);
  console.log(
    `\`next start\` (NODE_ENV=production, CONTENT_DIR = a temporary copy of content/, in-process bus), a fresh server for each of the two parts, pids found by ${how}; Chromium ${CHROMIUM} headless; the load-generating client is a separate node process; everything shares the machine.\n`,
  );
  console.log(`### File written → headline visible in the page (${TOPIC_PATH})\n`);
  console.log(
    `${UPDATES} new \`kind: update\` files, one at a time, ${GAP_MS} ms apart, after ${WARMUP} uncounted warm-up (${lat.warmup.map(ms).join(', ')}). Timed from just before the write (test process) to the animation frame in which the page has the \`h2\` (in the page); both \`performance.timeOrigin + performance.now()\`, clock agreement within ${Math.abs(lat.skew).toFixed(1)} ms.\n`,
  );
  console.log(
    '| updates | min | p50 | p95 | max | p50 as seen by the test process | p50 write → server publishes the event |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${lat.sorted.length} | ${ms(lat.sorted[0])} | ${ms(pct(lat.sorted, 50))} | ${ms(pct(lat.sorted, 95))} | ${ms(lat.sorted.at(-1))} | ${ms(pct(lat.viaCdp, 50))} | ${ms(pct(lat.toPublish, 50))} (${lat.toPublish.length} seen) |`,
  );
  console.log(
    `\nEach update in order, write → visible (write → published): ${lat.pairs.map(([v, p]) => `${Math.round(v)} (${Number.isFinite(p) ? Math.round(p) : '?'})`).join(', ')} ms.`,
  );

  console.log(`\n### Fan-out: idle SSE streams on \`${LIVE_PATH}\`\n`);
  const { client: cl, server: sv } = fan.limits;
  console.log(
    `Open-file limits: client process ${cl.soft} (hard ${cl.hard}), server ${sv.soft} (hard ${sv.hard}); ${fan.limits.need} needed — OK. Streams opened cumulatively (≤ 200 handshakes in flight), one socket and one x-forwarded-for (10.x.y.z) each. Server RSS with no stream: ${fan.rss0} kB; its CPU idle with no stream: ${fan.cpu0.pct.toFixed(1)}% of a core (${fan.cpu0.cpuMs} ms in ${fan.cpu0.seconds.toFixed(1)} s). Server open fds with no stream: ${fan.fds0}. Event latency: from \`Date.now()\` before the file write (bench process) to the complete \`data:\` frame on each stream (\`Date.now()\` in the client process); "write → publish" is the part until the server published the event (the event's \`at\`, its \`Date.now()\`: content watcher, debounce and snapshot rebuild).\n`,
  );
  console.log(
    `| streams | connected | server fds | time to connect | server RSS idle | kB per idle stream | RSS ${CPU_WINDOW_MS / 1000} s later | server CPU idle (${CPU_WINDOW_MS / 1000} s) | heartbeats in window | event received | write → publish | p50 | p99 | max | client RSS |`,
  );
  console.log(
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of fan.steps) {
    console.log(
      `| ${s.n} | ${s.connected} | ${s.fds} | ${(s.openMs / 1000).toFixed(1)} s | ${(s.rss / 1024).toFixed(0)} MB | ${s.kbPerStream.toFixed(1)} kB | ${(s.rssAfterIdle / 1024).toFixed(0)} MB | ${s.cpu.pct.toFixed(1)}% (${s.cpu.cpuMs} ms) | ${s.pings} | ${s.received}/${s.open} | ${ms(s.toPublish)} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${(s.clientRssKb / 1024).toFixed(0)} MB |`,
    );
  }
  for (const s of fan.steps) {
    const failed = Object.entries(s.failures ?? {});
    if (failed.length)
      console.log(`\n${s.n} streams: not connected: ${failed.map(([k, v]) => `${v}× ${k}`).join(', ')}`);
    if (s.closedByServer)
      console.log(`\n${s.n} streams: ${s.closedByServer} closed by the server during the run`);
  }
  console.log(
    `\n(kB per idle stream = (RSS with the streams open and idle − RSS with none) / streams; no GC is forced, so it includes garbage not yet collected and moves by several kB between runs. Server CPU in % of one core, from /proc/<pid>/stat utime+stime, at ${1000 / TICKS_PER_SECOND} ms resolution; the heartbeats are the \`: ping\` comments the client counted in the same window.)`,
  );
  console.log(`\nOther load: file → visible phase: ${loadA.text}; fan-out phase: ${loadB.text}.`);
  const busiest = Math.max(loadA.otherPct ?? 0, loadB.otherPct ?? 0);
  if (loadWarning(busiest)) console.log(loadWarning(busiest));
  const serverErrors = serverLog.split('\n').filter((l) => /"level":"error"|EMFILE|ENFILE|⨯|Error:/.test(l));
  if (serverErrors.length) {
    const lines = serverErrors;
    console.log(
      `\nServer log errors (${lines.length}):\n${lines
        .slice(0, 5)
        .map((l) => `    ${l}`)
        .join('\n')}`,
    );
  }

  // -------------------------------------------------------------------------------------------
  const big = fan.steps.find((s) => s.n === BUDGET.fanoutN);
  const checks = [
    {
      name: `file → visible p50 <= ${BUDGET.p50} ms`,
      ok: pct(lat.sorted, 50) <= BUDGET.p50,
      value: ms(pct(lat.sorted, 50)),
    },
    {
      name: `file → visible p95 <= ${BUDGET.p95} ms`,
      ok: pct(lat.sorted, 95) <= BUDGET.p95,
      value: ms(pct(lat.sorted, 95)),
    },
  ];
  if (big) {
    checks.push(
      {
        name: `${big.n} streams all connected`,
        ok: big.connected === big.n,
        value: `${big.connected}/${big.n}`,
      },
      {
        name: `${big.n} streams all got the event`,
        ok: big.received === big.n,
        value: `${big.received}/${big.n}`,
      },
      {
        name: `${big.n} streams event p99 <= ${BUDGET.fanoutP99} ms`,
        ok: big.p99 <= BUDGET.fanoutP99,
        value: ms(big.p99),
      },
      {
        name: `${big.n} streams <= ${BUDGET.kbPerStream} kB server memory per idle stream`,
        ok: big.kbPerStream <= BUDGET.kbPerStream,
        value: `${big.kbPerStream.toFixed(1)} kB`,
      },
    );
  }
  console.log('\n### Budget');
  if (!big)
    console.log(
      `(the fan-out budgets apply at ${BUDGET.fanoutN} streams, which was not in BENCH_LIVE_STREAMS)`,
    );
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main()
  .catch(async (error) => {
    console.error(`\nbench:live: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (app) console.error(`--- server output (tail) ---\n${app.output().slice(-3000)}`);
    process.exitCode = 2;
  })
  .finally(cleanup);
