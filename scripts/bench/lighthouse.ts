// `npm run bench:lighthouse`: Lighthouse 12.2.3 (headless Debian Chromium) against the built app's
// article page, mobile (Lighthouse's default emulation and simulated throttling) and desktop
// (--preset=desktop). Prints the four category scores, the metrics, and every audit that cost
// points. Reports go to .tmp/lighthouse-<form factor>[-<run>].json.
// Budget (mobile; lighthouseBudget in budgets.ts): a minimum score per category; exits 1 on FAIL.
//   BENCH_PAGE=/articles/...   page to audit (default: the article page)
//   BENCH_RUNS=1               Lighthouse runs per form factor; with more, the run with the median
//                              performance score is reported (and all runs are listed)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Result } from 'lighthouse';
import { lighthouseBudget } from './budgets';
import { ARTICLE_PATH, fetchText, loadWarning, machine, root, warm, watchOtherLoad, withApp } from './server';

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS =
  '--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update';
const PAGE = process.env.BENCH_PAGE ?? ARTICLE_PATH;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const BUDGET = lighthouseBudget;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type FormFactor = 'mobile' | 'desktop';
const FORM_FACTORS: FormFactor[] = ['mobile', 'desktop'];
const METRICS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
  'interactive',
];
const outDir = path.join(root, '.tmp');

function lighthouse(url: string, formFactor: FormFactor, outPath: string): Promise<Result> {
  const args = [
    url,
    `--chrome-flags=${CHROME_FLAGS}`,
    '--output=json',
    `--output-path=${outPath}`,
    '--quiet',
    ...(formFactor === 'desktop' ? ['--preset=desktop'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules/.bin/lighthouse'), args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, CHROME_PATH: CHROME },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`lighthouse (${formFactor}) exited ${code}:\n${err}`));
      const report = JSON.parse(readFileSync(outPath, 'utf8')) as Result;
      if (report.runtimeError)
        return reject(
          new Error(`lighthouse (${formFactor}): ${report.runtimeError.code} ${report.runtimeError.message}`),
        );
      resolve(report);
    });
  });
}

const score = (report: Result, id: string) => Math.round((report.categories[id]?.score ?? 0) * 100);

/** What describeItem reads from an audit's detail item (tables and lists of every audit type). */
type DetailItem = {
  node?: { selector?: string; snippet?: string };
  subItems?: { items?: { url?: string; node?: DetailItem['node'] }[] };
  issueType?: string;
  url?: string;
  source?: { url?: string; line?: number };
  description?: unknown;
  explanation?: unknown;
};
const itemsOf = (details: Result['audits'][string]['details']): DetailItem[] =>
  details && 'items' in details && Array.isArray(details.items) ? (details.items as DetailItem[]) : [];

/** Audits with weight in a category that did not get full marks, with the points they cost. */
function lostPoints(report: Result, id: string) {
  const cat = report.categories[id]!;
  const total = cat.auditRefs.reduce((n, ref) => n + ref.weight, 0);
  const out = [];
  for (const ref of cat.auditRefs) {
    const a = report.audits[ref.id]!;
    if (ref.weight === 0 || a.score === null || a.score >= 1) continue;
    out.push({
      id: ref.id,
      title: a.title,
      score: a.score,
      lost: (ref.weight * (1 - a.score) * 100) / total,
      display: a.displayValue ?? '',
      items: itemsOf(a.details),
    });
  }
  return out.sort((x, y) => y.lost - x.lost);
}

/** One line about an audit's detail item: the element, URL, source location or issue type. */
function describeItem(item: DetailItem): string {
  const node = item.node ?? item.subItems?.items?.[0]?.node;
  const parts = [];
  if (item.issueType) {
    const urls = (item.subItems?.items ?? []).map((i) => i.url).filter(Boolean);
    parts.push(
      `${item.issueType}${urls.length ? `: ${urls.slice(0, 3).join(', ')}` : ' (no URL given; open the page in Chrome DevTools → Issues)'}`,
    );
  }
  if (node?.selector) parts.push(node.selector);
  if (node?.snippet) parts.push(node.snippet.slice(0, 140));
  if (item.url) parts.push(item.url);
  if (item.source?.url) parts.push(`${item.source.url}:${item.source.line ?? ''}`);
  if (item.description) parts.push(String(item.description).slice(0, 200));
  if (item.explanation) parts.push(String(item.explanation).split('\n')[0]!.slice(0, 200));
  return parts.join(' — ');
}

function median(reports: Result[]): Result {
  const sorted = [...reports].sort((a, b) => score(a, 'performance') - score(b, 'performance'));
  return sorted[(sorted.length - 1) >> 1]!;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  let busiest = 0;
  const results = await withApp(async ({ url, pid }) => {
    // Warm the page cache and the server's JIT, as a running site would be.
    await fetchText(url + PAGE);
    await warm(url + PAGE, { extra: 20 });
    const out: Record<FormFactor, Result[]> = { mobile: [], desktop: [] };
    for (const formFactor of FORM_FACTORS) {
      for (let run = 1; run <= RUNS; run++) {
        const file = path.join(outDir, `lighthouse-${formFactor}${RUNS > 1 ? `-${run}` : ''}.json`);
        process.stdout.write(
          `> lighthouse ${formFactor}${RUNS > 1 ? ` run ${run}/${RUNS}` : ''} ${url + PAGE} … `,
        );
        const t0 = Date.now();
        const watch = watchOtherLoad([pid]);
        const report = await lighthouse(url + PAGE, formFactor, file);
        const load = watch.stop();
        busiest = Math.max(busiest, load.otherPct ?? 0);
        console.log(
          `${CATEGORIES.map((c) => score(report, c)).join(' / ')} (${((Date.now() - t0) / 1000).toFixed(0)} s; ${load.text}) → ${path.relative(root, file)}`,
        );
        out[formFactor].push(report);
      }
    }
    return out;
  });

  const chosen: Record<FormFactor, Result> = {
    mobile: median(results.mobile),
    desktop: median(results.desktop),
  };
  console.log(`\n## Lighthouse ${chosen.mobile.lighthouseVersion} — ${PAGE} — ${await machine()}`);
  console.log(
    `${chosen.mobile.environment?.hostUserAgent?.match(/HeadlessChrome\/[\d.]+|Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}; next start on the same machine${RUNS > 1 ? `; median of ${RUNS} runs by performance score (all runs: ${FORM_FACTORS.map((f) => `${f} ${results[f].map((r) => score(r, 'performance')).join(', ')}`).join('; ')})` : ''}.\n`,
  );
  console.log(
    '| form factor | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | SI | TTI |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [formFactor, report] of Object.entries(chosen)) {
    const metrics = METRICS.map((id) => report.audits[id]?.displayValue ?? '—');
    console.log(
      `| ${formFactor} | ${CATEGORIES.map((c) => score(report, c)).join(' | ')} | ${metrics.join(' | ')} |`,
    );
  }

  if (loadWarning(busiest)) console.log(`\n${loadWarning(busiest)}`);

  for (const [formFactor, report] of Object.entries(chosen)) {
    const lines = [];
    for (const id of CATEGORIES) {
      for (const a of lostPoints(report, id)) {
        lines.push(
          `- [${report.categories[id]!.title}] **${a.id}** (−${a.lost.toFixed(1)} pts, score ${a.score}${a.display ? `, ${a.display}` : ''}): ${a.title}`,
        );
        for (const item of a.items.slice(0, 5)) {
          const text = describeItem(item);
          if (text) lines.push(`    - ${text}`);
        }
        if (a.items.length > 5) lines.push(`    - … and ${a.items.length - 5} more`);
      }
    }
    console.log(`\n### Audits that cost points (${formFactor})\n`);
    console.log(lines.length ? lines.join('\n') : '(none)');
  }

  // Audits Lighthouse could not compute (they carry no weight in the scores, but say so).
  const errored = new Map<string, Set<string>>();
  for (const [formFactor, report] of Object.entries(chosen)) {
    for (const [id, a] of Object.entries(report.audits)) {
      if (a.scoreDisplayMode !== 'error') continue;
      const key = String(a.errorMessage ?? 'unknown error').replace(
        /^Required \w+ gatherer encountered an error: /,
        '',
      );
      if (!errored.has(key)) errored.set(key, new Set());
      errored.get(key)!.add(`${id} (${formFactor})`);
    }
  }
  if (errored.size) {
    console.log('\n### Audits Lighthouse could not run (unweighted diagnostics; no effect on the scores)\n');
    for (const [message, ids] of errored) console.log(`- ${[...ids].join(', ')}: ${message.slice(0, 200)}`);
  }

  console.log('\n### Budget (mobile)');
  let ok = true;
  for (const [id, min] of Object.entries(BUDGET)) {
    const s = score(chosen.mobile, id);
    const pass = s >= min;
    ok &&= pass;
    console.log(
      `${pass ? 'PASS' : 'FAIL'}  ${chosen.mobile.categories[id]!.title} ${s} ${min === 100 ? '= 100' : `>= ${min}`}`,
    );
  }
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  console.error(
    `bench:lighthouse: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(2);
});
