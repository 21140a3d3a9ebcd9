// Shared by the scripts/bench/ scripts: build when needed, start `next start` (production) on a free
// port in 3300-3309 with the sample content and a throwaway SQLite database, wait for /api/health,
// and stop it again — also when the script fails or is interrupted.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { ensureBuild } from '../start.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PORTS = [3300, 3301, 3302, 3303, 3304, 3305, 3306, 3307, 3308, 3309];
export const ARTICLE_PATH = '/articles/amber-warning-river-auden-rising';
export const TOPIC_PATH = '/topics/northport-flood-updates';
export const FRONT_PATH = '/';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function freePort(ports: readonly number[] = PORTS): Promise<number> {
  for (const port of ports) if (await portIsFree(port)) return port;
  throw new Error(`no free port in ${ports[0]}-${ports[ports.length - 1]}`);
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal); // the whole group: next may fork workers
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    for (const child of running) killGroup(child, 'SIGKILL');
    // Leave the exit to the script's own handler if it has one (e.g. to remove temp files).
    if (process.listenerCount(signal) === 1) process.exit(130);
  });
}

export type StartOptions = {
  contentDir?: string;
  env?: Record<string, string>;
  quiet?: boolean;
  timeoutMs?: number;
  ports?: readonly number[];
};
export type App = {
  url: string;
  port: number;
  /** The spawned `next start`, leader of its own process group. */
  pid: number;
  /** The app's throwaway SQLite database. */
  dbFile: string;
  stop: () => Promise<void>;
  /** The app's stdout and stderr so far (the last 100–200 kB). */
  output: () => string;
};

/**
 * Builds if needed, starts the app and resolves once /api/health answers 200. `dbFile` is the
 * app's throwaway SQLite database (removed by stop()), for scripts that add rows to it.
 */
export async function startApp({
  contentDir = 'content',
  env = {},
  quiet = true,
  timeoutMs = 60_000,
  ports = PORTS,
}: StartOptions = {}): Promise<App> {
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  const status = ensureBuild();
  if (status !== 0) throw new Error(`build failed (exit ${status})`);

  const port = await freePort(ports);
  const url = `http://127.0.0.1:${port}`;
  // A throwaway SQLite database and a fixed secret, so a benchmark never touches ./data.
  const dataDir = path.join(root, '.tmp', `bench-data-${port}`);
  const dbFile = path.join(dataDir, 'bench.db');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" for a profile of the server
      // (Node refuses --cpu-prof in NODE_OPTIONS); written when the server stops.
      ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
      'node_modules/next/dist/bin/next',
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    {
      cwd: root,
      detached: true, // own process group, so stop() takes everything down
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        CONTENT_DIR: contentDir,
        SITE_URL: url,
        PORT: String(port),
        DATABASE_URL: `file:${dbFile}`,
        AUTH_SECRET: 'bench-secret-not-for-production-0123456789abcdef',
        ...env,
      },
    },
  );
  running.add(child);
  let log = '';
  const onData = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    log += chunk;
    if (log.length > 200_000) log = log.slice(-100_000);
    if (!quiet) stream.write(chunk);
  };
  child.stdout.on('data', onData(process.stdout));
  child.stderr.on('data', onData(process.stderr));
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve();
    }),
  );

  const stop = async () => {
    if (!exited) {
      killGroup(child, 'SIGTERM');
      const timeout = sleep(5000).then(() => 'timeout');
      if ((await Promise.race([exitPromise, timeout])) === 'timeout') {
        killGroup(child, 'SIGKILL');
        await exitPromise;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A variable the exit handler sets: TypeScript can't see it change across the awaits.
    const early = exited as { code: number | null; signal: NodeJS.Signals | null } | null;
    if (early) {
      await stop();
      throw new Error(`next start exited early (${early.code ?? early.signal}):\n${log}`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`/api/health did not answer 200 within ${timeoutMs / 1000} s:\n${log}`);
    }
    await sleep(100);
  }
  if (!quiet) console.log(`> app ready on ${url} (pid ${child.pid})`);
  return { url, port, pid: child.pid!, dbFile, stop, output: () => log };
}

/** Starts the app, runs `fn(app)`, and always stops the app afterwards. */
export async function withApp<T>(fn: (app: App) => Promise<T>, options?: StartOptions): Promise<T> {
  const app = await startApp(options);
  try {
    return await fn(app);
  } finally {
    await app.stop();
  }
}

/** Fetches a path, failing on a non-2xx status. */
export async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

const cookiesOf = (setCookie: string[]) => setCookie.map((c) => c.split(';')[0]!);

/**
 * Signs in over HTTP as a browser does with next-auth's password provider (lib/auth/auth.ts):
 * GET /api/auth/csrf (keeping its cookie), then POST /api/auth/callback/password form-encoded.
 * Resolves to the session cookie (`next-auth.session-token=…`, `__Secure-` on https) to send as a
 * `cookie` header; throws when the sign-in gave none.
 */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { redirect: 'manual' });
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf: HTTP ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf.headers.getSetCookie());
  const res = await fetch(`${base}/api/auth/callback/password`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
  });
  const text = await res.text();
  const session = cookiesOf(res.headers.getSetCookie()).find((c) =>
    /^(__Secure-)?next-auth\.session-token=/.test(c),
  );
  if (!session)
    throw new Error(`sign-in of ${email} gave no session cookie (HTTP ${res.status}): ${text.slice(0, 200)}`);
  return session;
}

/**
 * Runs `fn` without the info lines the app's logger (lib/log.ts) writes to stdout, for scripts that
 * call app code (createUser, …) in their own process.
 */
export async function withoutAppLog<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (String(chunk).startsWith('{"level":"info",')) return true;
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

export const machine = async (): Promise<string> => {
  const cpus = os.cpus();
  return `${new Date().toISOString()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`;
};

// ---------------------------------------------------------------------------------------------
// Machine load: the project's machines are shared, so every benchmark says how much CPU other
// processes took while it measured. Linux /proc only; elsewhere it reports nothing.
// ---------------------------------------------------------------------------------------------

export const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export type ProcStat = { comm: string; ppid: number; pgrp: number; ticks: number };

/** A process's name, parent, group and CPU ticks (utime + stime), from /proc/<pid>/stat. */
export function procStat(pid: number | string): ProcStat {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the name, which is in parentheses and may itself hold spaces or ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    ticks: Number(f[11]) + Number(f[12]),
  };
}

/** The pid actually listening on `port` (ss), checked to belong to the server's process group. */
export function listeningPid(port: number, group: number): { pid: number; how: string } {
  let pid: number | null = null;
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    pid = Number(out.match(/pid=(\d+)/)?.[1] ?? NaN);
  } catch {
    /* no ss: fall back below */
  }
  if (!pid) return { pid: group, how: 'the pid bench-server spawned (ss unavailable)' };
  if (pid !== group && procStat(pid).pgrp !== group)
    throw new Error(
      `port ${port} is held by pid ${pid}, which is not in the server's process group ${group}`,
    );
  return { pid, how: `ss -ltnp on :${port}` };
}

/** pid -> { pgrp, ticks } for every process, read from /proc/<pid>/stat. */
function processTicks(): Map<string, { pgrp: number; ticks: number }> | null {
  const out = new Map<string, { pgrp: number; ticks: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const { pgrp, ticks } = procStat(pid);
      out.set(pid, { pgrp, ticks });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/**
 * Starts watching CPU use by processes outside this benchmark (outside our process group and the
 * groups passed in, e.g. the app server's). `stop()` returns the share of the machine they used.
 * Processes that exit during the interval are missed, so the figure is a lower bound.
 */
export function watchOtherLoad(groups: number[] = []): {
  stop(): { seconds: number; otherPct: number | null; text: string };
} {
  const start = processTicks();
  const t0 = performance.now();
  const load0 = os.loadavg()[0]!;
  const own = new Set([process.pid, ...groups]);
  const self = start?.get(String(process.pid));
  if (self) own.add(self.pgrp);
  return {
    stop() {
      const end = processTicks();
      const seconds = (performance.now() - t0) / 1000;
      const cores = os.cpus().length;
      if (!start || !end) return { seconds, otherPct: null, text: 'other load: unknown (no /proc)' };
      let ticks = 0;
      for (const [pid, p] of end) {
        if (own.has(p.pgrp)) continue;
        ticks += p.ticks - (start.get(pid)?.ticks ?? 0);
      }
      const otherPct = (ticks / TICKS_PER_SECOND / seconds / cores) * 100;
      const text = `other processes used ≥ ${otherPct.toFixed(0)}% of the ${cores} cores during the run (load average ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)})`;
      return { seconds, otherPct, text };
    },
  };
}

/**
 * Starts counting the CPU time (user + system) of a process group, e.g. the app server's (its pid:
 * startApp puts it in its own group). `stop()` returns the CPU seconds used since; null without /proc.
 */
export function watchGroupCpu(group: number): { stop(): number | null } {
  const ticks = () => {
    const all = processTicks();
    if (!all) return null;
    let sum = 0;
    for (const p of all.values()) if (p.pgrp === group) sum += p.ticks;
    return sum;
  };
  const start = ticks();
  return {
    stop() {
      const end = ticks();
      return start === null || end === null ? null : (end - start) / TICKS_PER_SECOND;
    },
  };
}

/** A warning line when other processes took a noticeable share of the machine. */
export const loadWarning = (otherPct: number | null): string =>
  otherPct !== null && otherPct > 10
    ? `WARNING: the machine was busy (other processes ≥ ${otherPct.toFixed(0)}% CPU): these figures understate the app; re-run on an idle machine before acting on a FAIL.`
    : '';

/**
 * Warms a page the way a running site is warm: renders it once, then requests it until the page
 * cache answers (x-nextjs-cache: HIT; entries written in the first second after the content store
 * loads are re-rendered once more, see lib/cache/page-cache-handler.cjs), then `extra` more times
 * to warm the JIT. Resolves to the last cache status seen (null for uncached/dynamic pages).
 * `url` is a full URL.
 */
export async function warm(
  url: string,
  {
    extra = 0,
    headers = {},
    timeoutMs = 10_000,
  }: { extra?: number; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let status: string | null = null;
  for (;;) {
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    status = res.headers.get('x-nextjs-cache');
    if (status === null || status === 'HIT' || Date.now() > deadline) break;
    await sleep(100);
  }
  if (extra > 0) {
    await Promise.all(
      Array.from({ length: extra }, () => fetch(url, { headers }).then((r) => r.arrayBuffer())),
    );
  }
  return status;
}

/** The open-file limit of a process (`self` or a pid), from /proc. */
export function nofile(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = line?.match(/(\d+|unlimited)\s+(\d+|unlimited)/)?.slice(1) ?? [];
  return {
    soft: soft === 'unlimited' ? Infinity : Number(soft),
    hard: hard === 'unlimited' ? Infinity : Number(hard),
  };
}

/** Nearest-rank percentile of an ascending array. */
export function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// `performance` is the global one, never imported from node:perf_hooks: functions passed to
// page.evaluate() run in the browser as written, and tsx would rewrite an imported name.

/** This process's clock in ms since the epoch, comparable with a page's timeOrigin + now(). */
export const now = (): number => performance.timeOrigin + performance.now();

/**
 * Opens a live topic page as a reader following along: its stream connected and the top of the
 * stream on screen (at 1280×720 it starts below the fold, under the key events, and new items
 * would wait behind the "N new updates" banner), settled for the IntersectionObserver to report it.
 */
export async function followLiveTopic(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('.live-status[data-status="live"]', { state: 'attached', timeout: 20_000 });
  await page.evaluate(() => document.querySelector('.live-stream')?.scrollIntoView({ block: 'start' }));
  await page.waitForFunction(() => {
    const top = document.querySelector('.stream-top')?.getBoundingClientRect().top;
    return top !== undefined && top >= 0 && top < innerHeight;
  });
  await sleep(200);
}

/**
 * How far a page's clock (performance.timeOrigin + now()) is from ours: the smallest offset of
 * five readings, each of which must fall between two of ours to count as 0.
 */
export async function clockSkew(page: Page): Promise<number> {
  let skew = Infinity;
  for (let i = 0; i < 5; i++) {
    const before = now();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = now();
    const off = inPage < before ? inPage - before : inPage > after ? inPage - after : 0;
    if (Math.abs(off) < Math.abs(skew)) skew = off;
  }
  return skew;
}
