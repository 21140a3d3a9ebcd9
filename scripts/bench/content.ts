// `npm run bench:content` (node --expose-gc --import tsx scripts/bench/content.ts): how the content
// store scales. Generates 1,000 and 10,000 synthetic articles in the same MDX format as content/
// (3 topics, 2 authors, headings, lists, sometimes a GFM table and Figure/PullQuote/Callout;
// scripts/bench/corpus.ts) in a temp folder, then measures, each size in a fresh Node process so "cold" means cold and the memory
// figures belong to that size alone:
//   - cold load: `new ContentStore(...)` + `load()`
//   - heap used and RSS after load (after global.gc() when --expose-gc is on)
//   - store.apply([rel]) of one changed file, median and max over BENCH_EDITS (20) edits
//   - search query time (median and max over a fixed set of queries)
// Budgets (contentBudget in budgets.ts, at its number of articles): cold load, and the median apply
// of one changed file. Exits 1 on a budget failure.
// Options (env): BENCH_SIZES=1000,10000  BENCH_EDITS=20  BENCH_SEED=1
// BENCH_KEEP=1 (keep the generated folder to look at).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContentStore } from '../../lib/content/store';
import { contentBudget } from './budgets';
import { generate, prng, sentence } from './corpus';
import { loadWarning, watchOtherLoad } from './server';

const LOAD_BUDGET_MS = contentBudget.maxColdLoadMs;
const APPLY_BUDGET_MS = contentBudget.maxApplyMedianMs;
const BUDGET_SIZE = contentBudget.articles;

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map((s) => Number(s.trim()));
const EDITS = Number(process.env.BENCH_EDITS ?? 20);
const SEED = Number(process.env.BENCH_SEED ?? 1);

// ---------------------------------------------------------------------------------------------
// Measurement (child process, one per size)
// ---------------------------------------------------------------------------------------------

type Result = {
  articles: number;
  errors: number;
  loadMs: number;
  heapMB: number;
  rssMB: number;
  baseHeapMB: number;
  baseRssMB: number;
  apply: number[];
  search: { query: string; hits: number; ms: number[] }[];
  gc: boolean;
};

const QUERIES = [
  'flood',
  'tram depot',
  'Lowmarsh evacuation',
  'council budget consultation',
  'sea wal',
  'pumping staton',
];
const mb = (n: number) => n / 1024 / 1024;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const gc = (globalThis as { gc?: () => void }).gc;
const collect = () => {
  if (gc) {
    gc();
    gc();
  }
};

async function measure(dir: string, expected: number): Promise<Result> {
  collect();
  const base = process.memoryUsage();

  let t0 = performance.now();
  const store = new ContentStore({ dir, includeDrafts: false });
  await store.load();
  const loadMs = performance.now() - t0;
  const { articles, errors } = store.snapshot;
  if (errors.length > 0)
    throw new Error(
      `generated content has errors: ${errors
        .slice(0, 3)
        .map((e) => `${e.file}:${e.line} ${e.reason}`)
        .join('; ')}`,
    );
  if (articles.size !== expected) throw new Error(`expected ${expected} articles, loaded ${articles.size}`);

  collect();
  const after = process.memoryUsage();

  // Edits: rewrite one existing article (title tweak + a new paragraph), then time apply([rel]).
  const r = prng(SEED + 7);
  const all = [...articles.values()];
  const apply: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const a = all[Math.floor(r() * all.length)]!;
    const full = path.join(dir, a.file);
    const source = await readFile(full, 'utf8');
    const edited =
      source
        .replace(
          /^title: "(.*)"$/m,
          (_m, t: string) =>
            `title: ${JSON.stringify(`${t.replace(/ \(updated \d+\)$/, '')} (updated ${i + 1})`)}`,
        )
        .trimEnd() + `\n\nUpdate ${i + 1}: ${sentence(r)}\n`;
    await writeFile(full, edited);
    t0 = performance.now();
    const changes = await store.apply([a.file]);
    apply.push(performance.now() - t0);
    if (!changes.some((c) => c.type === 'content.updated' && c.slug === a.slug)) {
      throw new Error(`apply(${a.file}) did not report an update: ${JSON.stringify(changes)}`);
    }
    if (store.snapshot.articles.get(a.slug)?.title.endsWith(`(updated ${i + 1})`) !== true) {
      throw new Error(`apply(${a.file}) did not swap in the edited article`);
    }
  }

  const search = QUERIES.map((query) => {
    const ms: number[] = [];
    let hits = 0;
    for (let i = 0; i < 10; i++) {
      t0 = performance.now();
      hits = store.search.search(query, () => true).length;
      ms.push(performance.now() - t0);
    }
    return { query, hits, ms };
  });
  await store.close();

  return {
    articles: articles.size,
    errors: errors.length,
    loadMs,
    heapMB: mb(after.heapUsed),
    rssMB: mb(after.rss),
    baseHeapMB: mb(base.heapUsed),
    baseRssMB: mb(base.rss),
    apply,
    search,
    gc: Boolean(gc),
  };
}

function runChild(dir: string, count: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, process.argv[1]!, '--child', dir, String(count)],
      {
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    let out = '';
    let result: Result | null = null;
    child.stdout!.on('data', (d) => (out += d));
    child.on('message', (m) => (result = m as Result));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`measuring ${count} articles failed (exit ${code})\n${out}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const fmt = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;

async function main() {
  if (process.argv[2] === '--child') {
    const result = await measure(process.argv[3]!, Number(process.argv[4]));
    process.send!(result, () => process.exit(0));
    return;
  }

  if (!gc)
    console.warn(
      'warning: global.gc is not exposed; memory figures include garbage. Run: node --expose-gc --import tsx scripts/bench/content.ts',
    );
  const root = await mkdtemp(path.join(os.tmpdir(), 'dispatch-bench-content-'));
  const keep = process.env.BENCH_KEEP === '1';
  const cleanup = () =>
    keep
      ? Promise.resolve(console.log(`kept ${root} (BENCH_KEEP=1)`))
      : rm(root, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  const rows: string[] = [];
  const searchRows: string[] = [];
  const verdicts: { name: string; ok: boolean; detail: string }[] = [];
  let busiest = 0;
  try {
    for (const size of SIZES) {
      const dir = path.join(root, String(size));
      let t0 = performance.now();
      const { bytes, words } = await generate(dir, size, { seed: SEED });
      const genMs = performance.now() - t0;
      console.log(
        `generated ${size} articles (${mb(bytes).toFixed(1)} MB, ${Math.round(words / size)} words on average) in ${fmt(genMs)}; measuring…`,
      );
      t0 = performance.now();
      const watch = watchOtherLoad();
      const res = await runChild(dir, size);
      const load = watch.stop();
      console.log(`  ${load.text}`);
      busiest = Math.max(busiest, load.otherPct ?? 0);
      const am = median(res.apply);
      const ax = Math.max(...res.apply);
      const allSearch = res.search.flatMap((s) => s.ms);
      rows.push(
        `| ${size.toLocaleString('en')} | ${mb(bytes).toFixed(1)} MB | ${fmt(res.loadMs)} | ${res.heapMB.toFixed(0)} MB (+${(res.heapMB - res.baseHeapMB).toFixed(0)}) | ${res.rssMB.toFixed(0)} MB (+${(res.rssMB - res.baseRssMB).toFixed(0)}) | ${fmt(am)} | ${fmt(ax)} | ${fmt(median(allSearch))} | ${fmt(Math.max(...allSearch))} |`,
      );
      for (const s of res.search) {
        searchRows.push(
          `| ${size.toLocaleString('en')} | \`${s.query}\` | ${s.hits} | ${fmt(s.ms[0]!)} | ${fmt(median(s.ms.slice(1)))} |`,
        );
      }
      if (size === BUDGET_SIZE) {
        verdicts.push({
          name: `cold load of ${size} articles <= ${LOAD_BUDGET_MS / 1000} s`,
          ok: res.loadMs <= LOAD_BUDGET_MS,
          detail: fmt(res.loadMs),
        });
        verdicts.push({
          name: `apply one changed file (median of ${res.apply.length}) <= ${APPLY_BUDGET_MS} ms`,
          ok: am <= APPLY_BUDGET_MS,
          detail: `median ${fmt(am)}, max ${fmt(ax)}`,
        });
      }
    }
  } finally {
    await cleanup();
  }

  console.log(
    `\n## Content store benchmark — ${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}${gc ? '' : ' (no --expose-gc!)'}\n`,
  );
  console.log(
    '| articles | MDX on disk | cold load | heap used after load | RSS after load | apply 1 file (median) | apply 1 file (max) | search (median) | search (max) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  rows.forEach((r) => console.log(r));
  console.log(
    `\n(heap/RSS: after gc(); "+N" is the growth over the process before load. apply: ${EDITS} edits of random articles, store.apply([rel]).)\n`,
  );
  console.log('| articles | query | hits (limit 50) | first run | median of next 9 |');
  console.log('| ---: | --- | ---: | ---: | ---: |');
  searchRows.forEach((r) => console.log(r));
  if (loadWarning(busiest)) console.log(`\n${loadWarning(busiest)}`);
  console.log('\n### Budgets');
  for (const v of verdicts) console.log(`${v.ok ? 'PASS' : 'FAIL'}  ${v.name}: ${v.detail}`);
  if (!SIZES.includes(BUDGET_SIZE))
    console.log(`(budgets apply to ${BUDGET_SIZE} articles, which was not in BENCH_SIZES)`);
  if (verdicts.some((v) => !v.ok)) process.exit(1);
}

main().catch((error) => {
  console.error(`bench:content: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
});
