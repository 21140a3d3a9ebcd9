// `npm run bench:content` (node --expose-gc --import tsx scripts/bench-content.ts): how the content
// store scales. Generates 1,000 and 10,000 synthetic articles in the same MDX format as content/
// (3 topics, 2 authors, headings, lists, sometimes a GFM table and Figure/PullQuote/Callout) in a
// temp folder, then measures, each size in a fresh Node process so "cold" means cold and the memory
// figures belong to that size alone:
//   - cold load: `new ContentStore(...)` + `load()`
//   - heap used and RSS after load (after global.gc() when --expose-gc is on)
//   - store.apply([rel]) of one changed file, median and max over BENCH_EDITS (20) edits
//   - search query time (median and max over a fixed set of queries)
// Budgets (10,000 articles): cold load <= 30 s, apply of one changed file <= 100 ms (median).
// Exits 1 on a budget failure. Options (env): BENCH_SIZES=1000,10000  BENCH_EDITS=20  BENCH_SEED=1
// BENCH_KEEP=1 (keep the generated folder to look at).
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ContentStore } from '../lib/content/store';
import { loadWarning, watchOtherLoad } from './bench-server.mjs';

const LOAD_BUDGET_MS = 30_000;
const APPLY_BUDGET_MS = 100;
const BUDGET_SIZE = 10_000;

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map((s) => Number(s.trim()));
const EDITS = Number(process.env.BENCH_EDITS ?? 20);
const SEED = Number(process.env.BENCH_SEED ?? 1);

// ---------------------------------------------------------------------------------------------
// Synthetic content
// ---------------------------------------------------------------------------------------------

/** mulberry32: small seeded PRNG, so every run generates the same corpus. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rand, p: number) => r() < p;

const TOPICS = {
  'northport-flood-updates': {
    title: 'Northport flood updates',
    description: 'Live coverage of flooding on the River Auden: warnings, evacuations, travel and recovery.',
    live: true,
  },
  transport: {
    title: 'Transport',
    description: 'Trams, buses, bridges and roads across Northport and the Auden valley.',
    live: false,
  },
  'city-hall': {
    title: 'City Hall',
    description: 'Northport City Council: budgets, votes, planning and the people who run the city.',
    live: false,
  },
} as const;
const TOPIC_SLUGS = Object.keys(TOPICS) as (keyof typeof TOPICS)[];
const AUTHORS = {
  'maya-okafor': { name: 'Maya Okafor', role: 'City Hall editor' },
  'priya-raman': { name: 'Priya Raman', role: 'Transport correspondent' },
} as const;
const AUTHOR_SLUGS = Object.keys(AUTHORS) as (keyof typeof AUTHORS)[];

const PLACES = [
  'Lowmarsh',
  'Quayside',
  'Ferrywick',
  'Millbrook',
  'Kingsway',
  'Saltholm',
  'Harbour Road',
  'Corn Exchange',
  'Millgate',
  'the Auden estuary',
  'east Northport',
  'the old town',
];
const PEOPLE = [
  ['Ingrid Castell', 'the mayor'],
  ['Ruth Abernethy', 'the opposition leader'],
  ['Farida Osei', 'the council’s emergency planning manager'],
  ['Mira Castellanos', 'head of projects at Northport Tramways'],
  ['Dr Anouk Verhoef', 'a coastal ecologist at Northport University'],
  ['Tom Hallam', 'who runs a bakery on the quay'],
  ['Sanjay Mehta', 'chair of the Lowmarsh residents’ association'],
] as const;
const SUBJECTS = [
  'The council',
  'Northport Tramways',
  'The river authority',
  'Fire and coastguard crews',
  'The operator',
  'Residents',
  'Engineers',
  'Volunteers',
  'The mayor’s office',
  'Forecasters',
  'Bus drivers',
  'Shop owners',
];
const VERBS = [
  'said',
  'confirmed',
  'warned',
  'announced',
  'expected',
  'estimated',
  'told Dispatch',
  'admitted',
  'insisted',
  'promised',
];
const THINGS = [
  'the flood gates',
  'the tram depot',
  'the sea wall',
  'the budget',
  'the consultation',
  'the rest centres',
  'the bridge inspection',
  'the pumping station',
  'the evacuation plan',
  'the recovery fund',
  'signalling on Line 2',
  'the river gauge',
  'the night buses',
  'the sandbag points',
];
const CLAUSES = [
  'would stay closed until further notice',
  'had been checked twice overnight',
  'was running about twenty minutes behind schedule',
  'needed another six weeks of work',
  'had cost more than the original estimate',
  'was reopening on a limited timetable',
  'remained the priority for the week',
  'would be reviewed by an independent panel',
  'had held, although only just',
  'was not part of the original plan',
  'would be debated at the next full council meeting',
  'was safe to use again after an inspection',
];
const ADVERBIALS = [
  'On Tuesday,',
  'Late last night,',
  'By mid-morning,',
  'Earlier this week,',
  'Since the weekend,',
  'For now,',
  'In a statement,',
  'At a briefing on the quay,',
  'According to the latest figures,',
  '',
];
const HEADINGS = [
  'What happens next',
  'Why it matters',
  'The background',
  'What residents say',
  'The numbers',
  'How we got here',
  'The questions',
  'What we know',
  'Travel',
  'The cost',
  'What the council says',
  'A long road back',
  'Getting help',
];
const TITLE_A = [
  'Council',
  'Tram',
  'River',
  'Bridge',
  'Budget',
  'Flood',
  'Bus',
  'Harbour',
  'Ferry',
  'Sea wall',
  'Depot',
  'Rest centre',
  'Mayor',
];
const TITLE_B = [
  'vote delayed',
  'service returns',
  'level falls',
  'closed after inspection',
  'plan approved',
  'warning lifted',
  'routes diverted',
  'works begin',
  'crossing suspended',
  'repairs overrun',
  'reopens early',
  'consultation extended',
  'questions remain',
];
const IMAGES = [
  '/images/council-chamber.svg',
  '/images/flood-map.svg',
  '/images/river-gauge.svg',
  '/images/tram-depot.svg',
  '/images/sea-wall.svg',
  '/images/sandbags.svg',
  '/images/storm-radar.svg',
  '/images/rest-centre.svg',
];

function sentence(r: Rand): string {
  switch (int(r, 0, 4)) {
    case 0:
      return `${pick(r, ADVERBIALS)} ${pick(r, SUBJECTS).replace(/^The /, 'the ')} ${pick(r, VERBS)} that ${pick(r, THINGS)} in ${pick(r, PLACES)} ${pick(r, CLAUSES)}.`
        .trim()
        .replace(/^./, (c) => c.toUpperCase());
    case 1: {
      const [name, role] = pick(r, PEOPLE);
      return `“We knew ${pick(r, THINGS)} ${pick(r, CLAUSES)},” said ${name}, ${role}.`;
    }
    case 2:
      return `About ${int(r, 2, 90) * 100} people in ${pick(r, PLACES)} were affected, and ${int(r, 3, 60)} homes were still without power at ${int(r, 1, 12)} o’clock.`;
    case 3:
      return `${pick(r, SUBJECTS)} ${pick(r, VERBS)} the work on ${pick(r, THINGS)} would take ${int(r, 2, 18)} weeks and cost about €${int(r, 1, 40)}m.`;
    default:
      return `The ${pick(r, ['river', 'tide', 'forecast', 'timetable', 'budget'])} ${pick(r, ['rose', 'changed', 'slipped', 'held', 'fell'])} ${pick(r, ['again', 'sharply', 'overnight', 'as expected', 'faster than planned'])}, and ${pick(r, THINGS)} ${pick(r, CLAUSES)}.`;
  }
}

const countWords = (s: string) => s.split(/\s+/).filter(Boolean).length;

function paragraph(r: Rand): string {
  const parts: string[] = [];
  for (let i = int(r, 2, 5); i > 0; i--) parts.push(sentence(r));
  let p = parts.join(' ');
  if (chance(r, 0.15)) p = p.replace(/the ([a-z]+ [a-z]+)/, 'the **$1**');
  if (chance(r, 0.1)) p = p.replace(/ in ([A-Z][a-z]+)/, ' in *$1*');
  if (chance(r, 0.1)) p += ` [Read our explainer](/topics/${pick(r, TOPIC_SLUGS)}).`;
  return p;
}

function list(r: Rand): string {
  const ordered = chance(r, 0.3);
  const items = Array.from({ length: int(r, 3, 6) }, (_, i) => {
    const text = `${pick(r, THINGS).replace(/^./, (c) => c.toUpperCase())} in ${pick(r, PLACES)} ${pick(r, CLAUSES)}`;
    return ordered ? `${i + 1}. ${text}` : `- ${text}`;
  });
  return items.join('\n');
}

function table(r: Rand): string {
  const rows = Array.from(
    { length: int(r, 3, 6) },
    () =>
      `| ${pick(r, PLACES)} | ${int(r, 1, 99)} | ${(r() * 6).toFixed(2)} m | ${pick(r, ['open', 'closed', 'partly open', 'under review'])} |`,
  );
  return ['| Area | Homes affected | Peak level | Status |', '| :--- | ---: | ---: | :--- |', ...rows].join(
    '\n',
  );
}

function figure(r: Rand): string {
  return `<Figure src="${pick(r, IMAGES)}" alt="Illustration of ${pick(r, THINGS)} in ${pick(r, PLACES)}" caption="${sentence(r).replace(/"/g, '')}" credit="Dispatch graphics" />`;
}
function pullQuote(r: Rand): string {
  const [name, role] = pick(r, PEOPLE);
  return `<PullQuote by="${name}, ${role}">\n${sentence(r)} ${sentence(r)}\n</PullQuote>`;
}
function callout(r: Rand): string {
  const title = chance(r, 0.5)
    ? ` title="${pick(r, ['Where to get help', 'Travel advice', 'Key dates', 'How to respond'])}"`
    : '';
  return `<Callout${title}>\n${sentence(r)} Call **0800 123 456** or visit the council’s website.\n</Callout>`;
}

type Generated = { rel: string; slug: string; source: string };

function dateOf(r: Rand, end: number): string {
  const span = 3 * 365 * 24 * 3600_000;
  const t = end - Math.floor(r() * span);
  return new Date(Math.floor(t / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
}

function article(r: Rand, i: number, end: number): Generated {
  const isUpdate = chance(r, 0.35);
  const target = isUpdate ? int(r, 150, 320) : int(r, 250, 900);
  const title = `${pick(r, TITLE_A)} ${pick(r, TITLE_B)} in ${pick(r, PLACES)}`;
  const slug = `${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}-${i}`;
  const topics = chance(r, 0.3)
    ? [pick(r, TOPIC_SLUGS), pick(r, TOPIC_SLUGS)].filter((t, k, a) => a.indexOf(t) === k)
    : [pick(r, TOPIC_SLUGS)];
  const authors = chance(r, 0.15) ? [...AUTHOR_SLUGS] : [pick(r, AUTHOR_SLUGS)];
  const publishedAt = dateOf(r, end);

  const fm = [
    '---',
    `title: ${JSON.stringify(title)}`,
    'topics:',
    ...topics.map((t) => `  - ${t}`),
    `publishedAt: "${publishedAt}"`,
  ];
  if (chance(r, 0.2))
    fm.push(
      `updatedAt: "${new Date(Date.parse(publishedAt) + int(r, 1, 48) * 3600_000).toISOString().replace('.000Z', 'Z')}"`,
    );
  if (isUpdate) fm.push('kind: update');
  if (!isUpdate && chance(r, 0.5)) fm.push(`summary: ${JSON.stringify(sentence(r))}`);
  fm.push('authors:', ...authors.map((a) => `  - ${a}`));
  if (!isUpdate && chance(r, 0.15)) {
    fm.push(
      'image:',
      `  src: ${pick(r, IMAGES)}`,
      `  alt: ${JSON.stringify(`Illustration of ${pick(r, THINGS)}`)}`,
    );
  }
  if (chance(r, 0.05)) fm.push('keyEvent: true');
  fm.push('---', '');

  const blocks: string[] = [];
  let words = 0;
  let sinceHeading = 0;
  const extras = {
    list: !isUpdate && chance(r, 0.35),
    table: !isUpdate && chance(r, 0.12),
    figure: chance(r, isUpdate ? 0.05 : 0.2),
    pullQuote: !isUpdate && chance(r, 0.2),
    callout: chance(r, 0.15),
  };
  const add = (block: string) => {
    blocks.push(block);
    const w = countWords(block);
    words += w;
    sinceHeading += w;
  };
  add(paragraph(r));
  while (words < target) {
    if (!isUpdate && sinceHeading > int(r, 140, 260) && words < target - 80) {
      blocks.push(`## ${pick(r, HEADINGS)}`);
      sinceHeading = 0;
    }
    const roll = r();
    if (extras.list && roll < 0.15) {
      add(list(r));
      extras.list = false;
    } else if (extras.table && roll < 0.25) {
      add(table(r));
      extras.table = false;
    } else if (extras.figure && roll < 0.35) {
      add(figure(r));
      extras.figure = false;
    } else if (extras.pullQuote && roll < 0.45) {
      add(pullQuote(r));
      extras.pullQuote = false;
    } else if (extras.callout && roll < 0.55) {
      add(callout(r));
      extras.callout = false;
    } else add(paragraph(r));
  }
  const [yyyy, mm] = publishedAt.split('-');
  return {
    rel: `articles/${yyyy}/${mm}/${slug}.mdx`,
    slug,
    source: fm.join('\n') + '\n' + blocks.join('\n\n') + '\n',
  };
}

async function generate(dir: string, count: number): Promise<{ bytes: number; words: number }> {
  const r = prng(SEED);
  const end = Date.now() - 24 * 3600_000; // everything published, nothing scheduled
  const write = async (rel: string, source: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), source);
  };
  for (const [slug, t] of Object.entries(TOPICS)) {
    await write(
      `topics/${slug}.mdx`,
      `---\ntitle: ${JSON.stringify(t.title)}\ndescription: ${JSON.stringify(t.description)}\nlive: ${t.live}\n---\n\n${t.description}\n`,
    );
  }
  for (const [slug, a] of Object.entries(AUTHORS)) {
    await write(
      `authors/${slug}.mdx`,
      `---\nname: ${JSON.stringify(a.name)}\nrole: ${JSON.stringify(a.role)}\n---\n\n${a.name} reports for Dispatch.\n`,
    );
  }
  let bytes = 0;
  let words = 0;
  const batch: Promise<void>[] = [];
  for (let i = 1; i <= count; i++) {
    const a = article(r, i, end);
    bytes += Buffer.byteLength(a.source);
    words += countWords(a.source.slice(a.source.indexOf('\n---\n') + 5));
    batch.push(write(a.rel, a.source));
    if (batch.length >= 64) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  return { bytes, words };
}

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
      'warning: global.gc is not exposed; memory figures include garbage. Run: node --expose-gc --import tsx scripts/bench-content.ts',
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
      const { bytes, words } = await generate(dir, size);
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
