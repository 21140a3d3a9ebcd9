// `npm run bench:desk`: the newsroom desk (SPEC §9) on the built app under `next start`, with
// CONTENT_DIR a fresh temporary copy of content/. An editor account is made in the app's database
// and signed in over HTTP; a reader's headless Chromium holds /topics/northport-flood-updates open
// with its live stream connected and the top of the stream on screen. Then BENCH_DESK_POSTS times
// (20, after 1 uncounted warm-up) the editor publishes an update through the desk's `postUpdate`
// server action, exactly as the topic page's composer sends it (POST with Next-Action), and we time
// from just before the POST until the update's headline is in the reader's page (both clocks are
// performance.timeOrigin + now() on this machine; the script checks they agree). Also reported:
// the action's own answer time (the file written, fsynced, applied, logged).
// Budget (deskBudget in budgets.ts): p95 publish → visible. Ports 3420-3429 only.
// Prints a markdown report; exits 1 on FAIL, 2 when the benchmark could not run.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { openDatabase } from '../../lib/db/client';
import { builtAction } from '../../lib/testing/server-actions';
import { createUser, setRole, signUpSchema } from '../../lib/users/service';
import { deskBudget } from './budgets';
import {
  TOPIC_PATH,
  clockSkew,
  followLiveTopic,
  machine,
  now,
  pct,
  root,
  signIn,
  startApp,
  warm,
  withoutAppLog,
  type App,
} from './server';

const PORTS = [3420, 3421, 3422, 3423, 3424, 3425, 3426, 3427, 3428, 3429];
const TOPIC = 'northport-flood-updates';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const POSTS = Number(process.env.BENCH_DESK_POSTS ?? deskBudget.posts);
const WARMUP = 1;
const GAP_MS = 500;
const PASSWORD = 'correct horse battery staple';

let app: App | null = null;
let browser: Browser | null = null;
let tmp: string | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : `${Math.round(n)} ms`);

/** The id of lib/desk/actions.ts#postUpdate in this build (bound to the topic page, as the composer uses it). */
const postUpdateActionId = () => builtAction('lib/desk/actions.ts', 'postUpdate', root).id;

async function makeEditor(dbFile: string) {
  const input = signUpSchema.parse({
    name: 'Bench Editor',
    email: `bench-editor-${Date.now()}@example.org`,
    password: PASSWORD,
  });
  const { db, ready } = openDatabase({ dialect: 'sqlite', file: dbFile }, 1);
  await ready;
  try {
    await withoutAppLog(async () => {
      await createUser(db, input);
      await setRole(db, input.email, 'editor');
    });
  } finally {
    await db.destroy();
  }
  return input.email;
}

async function main() {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dispatch-bench-desk-'));
  const contentDir = path.join(tmp, 'content');
  cpSync(path.join(root, 'content'), contentDir, { recursive: true });
  app = await startApp({ contentDir, ports: PORTS });
  console.log(`> next start on ${app.url}; CONTENT_DIR=${contentDir}`);
  const email = await makeEditor(app.dbFile);
  const cookie = await signIn(app.url, email, PASSWORD);
  const actionId = postUpdateActionId();
  await warm(app.url + TOPIC_PATH, { extra: 10 });

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  await followLiveTopic(page, app.url + TOPIC_PATH);
  // The two clocks drift apart on this host (NTP slews the wall clock that each process's
  // timeOrigin was read from): the page's offset is read again before every post and taken off.
  const skews: number[] = [];

  const visible: number[] = [];
  const answered: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < WARMUP + POSTS; i++) {
    const headline = `Desk bench ${Date.now().toString(36)} ${i}`;
    const seen = page.waitForFunction(
      (title) => {
        for (const h of document.querySelectorAll('.live-stream h2'))
          if (h.textContent === title) return performance.timeOrigin + performance.now();
        return false;
      },
      headline,
      { polling: 'raf', timeout: 15_000 },
    );
    const skew = await clockSkew(page);
    await page.evaluate(() => 0); // the predicate is polling once this returns
    const t0 = now();
    const res = await fetch(app.url + TOPIC_PATH, {
      method: 'POST',
      headers: {
        'next-action': actionId,
        'content-type': 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin: app.url,
        cookie,
      },
      body: JSON.stringify([
        { topic: TOPIC, headline, body: `Bench update ${i}: the desk publishes in seconds.` },
      ]),
    });
    const text = await res.text();
    const t1 = now();
    if (!res.ok || !text.includes('"ok":true')) {
      failures.push(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      await seen.catch(() => undefined);
      continue;
    }
    const shownAt = (await (await seen).jsonValue()) as number;
    if (i >= WARMUP) {
      visible.push(shownAt - skew - t0);
      skews.push(skew);
      answered.push(t1 - t0);
    }
    await sleep(GAP_MS);
  }

  const sorted = [...visible].sort((a, b) => a - b);
  const acks = [...answered].sort((a, b) => a - b);
  console.log(`\n## bench:desk — ${new Date().toISOString()}\n`);
  const drift = skews.length
    ? `${Math.min(...skews).toFixed(1)} to ${Math.max(...skews).toFixed(1)} ms`
    : '–';
  console.log(
    `machine: ${await machine()}; page clock offset, read before each post and taken off: ${drift}\n`,
  );
  console.log('| measure | n | p50 | p95 | max |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(
    `| publish → visible in another browser | ${sorted.length} | ${ms(pct(sorted, 50))} | ${ms(pct(sorted, 95))} | ${ms(sorted.at(-1))} |`,
  );
  console.log(
    `| postUpdate answered (written, fsynced, applied, logged) | ${acks.length} | ${ms(pct(acks, 50))} | ${ms(pct(acks, 95))} | ${ms(acks.at(-1))} |`,
  );
  const checks = [
    {
      name: `every post published (${POSTS + WARMUP})`,
      ok: failures.length === 0,
      value: failures[0] ?? 'all ok',
    },
    {
      name: `publish → visible p95 <= ${deskBudget.visibleP95Ms} ms`,
      ok: sorted.length === POSTS && pct(sorted, 95) <= deskBudget.visibleP95Ms,
      value: ms(pct(sorted, 95)),
    },
  ];
  console.log('');
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

async function cleanup() {
  await browser?.close().catch(() => undefined);
  browser = null;
  await app?.stop().catch(() => undefined);
  app = null;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = null;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\nbench:desk: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .catch((error) => {
    console.error(`\nbench:desk: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (app) console.error(`--- server output (tail) ---\n${app.output().slice(-3000)}`);
    process.exitCode = 2;
  })
  .finally(cleanup);
