// `npm run bench:bundle`: first-load JavaScript per page, measured on what the browser is served.
// Next 16 no longer prints "First Load JS", so this starts the built app, fetches each page's HTML,
// takes every <script src> that is not `nomodule` (Next's module chunks, async ones included, and
// any classic script such as /theme.js; the nomodule polyfill is only for old browsers), fetches
// each and gzips it at level 9 (zlib.gzipSync, like `gzip -9`). Inline scripts (the RSC payload and
// bootstrap) are shown for information but are not part of the budget.
// Budget (bundleBudget in budgets.ts): the article page's first-load JS, gzipped; exits 1 when over.
// Also checked: no page's first-load JS holds the desk's editor code (SPEC §9: readers get none of
// it; editors load it after the page has hydrated), found by words only that code contains.
//   BENCH_PAGES=/a,/b   pages to measure (the article page is always included for the budget)
import zlib from 'node:zlib';
import { bundleBudget } from './budgets';
import { ARTICLE_PATH, FRONT_PATH, TOPIC_PATH, fetchText, machine, withApp } from './server';

const BUDGET_BYTES = bundleBudget.articleMaxGzipBytes;
const TOP_CHUNKS = 12;
/** Words of the desk's composer and edit form, in no reader-facing code. */
const DESK_MARKERS = ['Save draft', 'Correction note'];

const pages = [
  ...new Set([
    ARTICLE_PATH,
    ...(process.env.BENCH_PAGES ?? [FRONT_PATH, TOPIC_PATH].join(','))
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  ]),
];

const gz = (buf: Buffer) => zlib.gzipSync(buf, { level: 9 }).length;
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** Attributes of one start tag, lower-cased names; valueless attributes map to ''. */
function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const body = tag.replace(/^<[a-z]+/i, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attrs[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

/** External non-nomodule scripts and inline script bytes in an HTML page. */
function scriptsOf(html: string, pageUrl: string) {
  const external: string[] = [];
  const nomodule: string[] = [];
  let inlineRaw = '';
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi)) {
    const tag = m[0].slice(0, m[0].indexOf('>') + 1);
    const attrs = attributes(tag);
    const type = (attrs.type ?? '').toLowerCase();
    if (attrs.src !== undefined) {
      const src = new URL(attrs.src.replace(/&amp;/g, '&'), pageUrl).href;
      ('nomodule' in attrs ? nomodule : external).push(src);
    } else if (!type || type === 'module' || type.includes('javascript')) {
      inlineRaw += m[1]; // JSON-LD and other data blocks are not scripts
    }
  }
  return { external: [...new Set(external)], nomodule, inline: Buffer.from(inlineRaw) };
}

async function main() {
  const chunks = new Map<string, { raw: number; gzip: number; pages: Set<string>; desk: string[] }>(); // by URL
  const rows = await withApp(async ({ url }) => {
    const out = [];
    for (const p of pages) {
      const html = await fetchText(url + p);
      const { external, nomodule, inline } = scriptsOf(html, url + p);
      if (external.length === 0) throw new Error(`no <script src> found on ${p}: has the HTML changed?`);
      let raw = 0;
      let gzip = 0;
      for (const src of external) {
        let c = chunks.get(src);
        if (!c) {
          const res = await fetch(src);
          if (!res.ok) throw new Error(`GET ${src}: HTTP ${res.status}`);
          const buf = Buffer.from(await res.arrayBuffer());
          const text = buf.toString('utf8');
          c = {
            raw: buf.length,
            gzip: gz(buf),
            pages: new Set(),
            desk: DESK_MARKERS.filter((m) => text.includes(m)),
          };
          chunks.set(src, c);
        }
        c.pages.add(p);
        raw += c.raw;
        gzip += c.gzip;
      }
      out.push({
        path: p,
        count: external.length,
        raw,
        gzip,
        nomodule: nomodule.length,
        inlineRaw: inline.length,
        inlineGzip: gz(inline),
        htmlRaw: Buffer.byteLength(html),
        htmlGzip: gz(Buffer.from(html)),
      });
    }
    return out;
  });

  console.log(`\n## First-load JS — ${await machine()}`);
  console.log(
    'Every non-`nomodule` `<script src>` in the served HTML, gzip level 9. Inline scripts and HTML for information only.\n',
  );
  console.log(
    '| page | scripts | JS raw | JS gzip -9 | budget | inline scripts raw / gzip | HTML raw / gzip |',
  );
  console.log('| --- | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const r of rows) {
    const budget =
      r.path === ARTICLE_PATH ? `${r.gzip <= BUDGET_BYTES ? 'PASS' : 'FAIL'} (≤ ${kB(BUDGET_BYTES)})` : '—';
    console.log(
      `| \`${r.path}\` | ${r.count} | ${kB(r.raw)} | **${kB(r.gzip)}** | ${budget} | ${kB(r.inlineRaw)} / ${kB(r.inlineGzip)} | ${kB(r.htmlRaw)} / ${kB(r.htmlGzip)} |`,
    );
  }
  const skipped = rows.reduce((n, r) => Math.max(n, r.nomodule), 0);
  if (skipped)
    console.log(`\n(${skipped} \`nomodule\` script(s) per page left out: loaded by old browsers only.)`);

  console.log(`\n### Biggest chunks\n`);
  console.log('| chunk | raw | gzip -9 | pages |');
  console.log('| --- | ---: | ---: | --- |');
  const sorted = [...chunks.entries()].sort((a, b) => b[1].gzip - a[1].gzip).slice(0, TOP_CHUNKS);
  for (const [src, c] of sorted) {
    const name = new URL(src).pathname;
    console.log(
      `| \`${name}\` | ${kB(c.raw)} | ${kB(c.gzip)} | ${c.pages.size === pages.length ? 'all' : [...c.pages].join(', ')} |`,
    );
  }

  const article = rows.find((r) => r.path === ARTICLE_PATH)!; // always measured (pages, above)
  console.log('\n### Budget');
  const ok = article.gzip <= BUDGET_BYTES;
  console.log(
    `${ok ? 'PASS' : 'FAIL'}  ${ARTICLE_PATH} first-load JS ${kB(article.gzip)} gzip <= ${kB(BUDGET_BYTES)}`,
  );
  const desk = [...chunks.entries()].filter(([, c]) => c.desk.length > 0);
  console.log(
    `${desk.length === 0 ? 'PASS' : 'FAIL'}  no desk code in readers' first-load JS${desk
      .map(
        ([src, c]) => `: ${new URL(src).pathname} has "${c.desk.join('", "')}" (${[...c.pages].join(', ')})`,
      )
      .join('')}`,
  );
  if (!ok || desk.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`bench:bundle: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
});
